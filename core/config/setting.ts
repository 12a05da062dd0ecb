// A setting is one environment variable and the shape of its value; a section is the settings of
// one concern under the names the code reads them by (config.dingtalk.appKey ← DINGTALK_APP_KEY).
import type { z } from 'zod';

/** One setting: the variable it is read from and the schema of its value. */
export interface Setting<T extends z.ZodType = z.ZodType> {
  readonly env: string;
  readonly schema: T;
}

/** Declares a setting read from the environment variable `env`. */
export function setting<T extends z.ZodType>(env: string, schema: T): Setting<T> {
  return { env, schema };
}

/** The settings of one concern, by the name the code reads them under. */
export type SectionSpec = Readonly<Record<string, Setting>>;

type ValueOf<S extends SectionSpec, K extends keyof S> = z.output<S[K]['schema']>;
type OptionalKeys<S extends SectionSpec> = {
  [K in keyof S]: undefined extends ValueOf<S, K> ? K : never;
}[keyof S];

/** The values of a section's settings; a setting that may be unset is an optional property. */
export type SectionValues<S extends SectionSpec> = {
  readonly [K in Exclude<keyof S, OptionalKeys<S>>]: ValueOf<S, K>;
} & { readonly [K in OptionalKeys<S>]?: ValueOf<S, K> } extends infer T
  ? { [K in keyof T]: T[K] }
  : never;
