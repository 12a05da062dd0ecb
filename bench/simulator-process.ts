// The DingTalk simulator in a process of its own, for benchmarks: DingTalk is a separate system,
// and sharing the benchmark's event loop would distort when calls are seen to arrive.
import { startSimulator } from '../simulator';
import { DEMO_APP } from '../test/helpers/simulator';
import { ACK_ONLY_APP } from './lib';

startSimulator({ port: 0, apps: [DEMO_APP, ACK_ONLY_APP] }).then((sim) => {
  process.stdout.write(`SIMULATOR ${sim.url}\n`);
  process.once('SIGTERM', () => void sim.close().then(() => process.exit(0)));
});
