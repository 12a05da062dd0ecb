// Multipart uploads cut off in the middle (a dropped connection, a hostile client): the file
// stream errors as well as the parser. Both upload routes must answer 400, write nothing, and the
// process must live on (an unheard stream error would end it).
import request from 'supertest';
import { createWorld } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { signIn } from '../../helpers/session';

const ADMIN = `Basic ${Buffer.from('admin:truncated-Admin-pass-1').toString('base64')}`;
let t: TestRuntime;
let manager: string;

beforeAll(async () => {
  t = await startTestRuntime({ env: { ADMIN_PASSWORD: 'truncated-Admin-pass-1' } });
  const w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  manager = await signIn(t, w.users[1]!.userId);
});
afterAll(async () => {
  await t?.close();
});

const truncated = (name: string) =>
  Buffer.from(
    `--xx\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n\x89PNG\r\n\x1a\nsome bytes`,
    'binary',
  );

test.each([
  ['photo upload', '/api/m/uploads', () => manager, 'a.png'],
  ['directory import', '/admin/api/imports/people', () => ADMIN, 'people.csv'],
])(
  '%s: a truncated body gets 400 and nothing is written; the server still answers',
  async (_name, path, auth, file) => {
    const before = await t.db.prisma.directoryImport.count();
    for (let i = 0; i < 3; i++) {
      const res = await request(t.runtime.httpUrl!)
        .post(path)
        .set('Authorization', auth())
        .set('content-type', 'multipart/form-data; boundary=xx')
        .send(truncated(file));
      expect(res.status).toBe(400);
    }
    expect(await t.db.prisma.directoryImport.count()).toBe(before);
    expect((await request(t.runtime.httpUrl!).get('/healthz')).status).toBe(200);
  },
);
