// The part of tar-stream 2.2.0's API (github.com/mafintosh/tar-stream, README "Usage") the backup
// uses; the package ships no types of its own.
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  /** A tar entry header. */
  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    type?: 'file' | 'directory' | 'symlink' | 'link';
  }

  /** Writes a tar stream. */
  export interface Pack extends Readable {
    entry(headers: Headers, buffer?: Buffer | string, callback?: (err?: Error) => void): Writable;
    entry(headers: Headers, callback?: (err?: Error) => void): Writable;
    finalize(): void;
  }

  /** Reads a tar stream. */
  export interface Extract extends Writable {
    on(event: 'entry', listener: (headers: Headers, stream: Readable, next: () => void) => void): this;
    on(event: 'finish', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  export function pack(): Pack;
  export function extract(): Extract;
}
