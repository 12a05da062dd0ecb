import { AppError } from './app-error';

/** One bad environment variable. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Invalid configuration: start-up stops and names every bad variable. */
export class ConfigError extends AppError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(
      'CONFIG_INVALID',
      `配置无效 (invalid configuration):\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
      { status: 500, details: { variables: problems.map((p) => p.variable) } },
    );
    this.problems = problems;
  }
}
