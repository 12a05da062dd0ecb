// Entry point of the CLI process (bin/leiguard.cjs, npm run db:*).
import { buildProgram, exitCodeFor } from './main';

buildProgram()
  .parseAsync(process.argv)
  .then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => process.exit(exitCodeFor(err)),
  );
