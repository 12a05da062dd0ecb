// Streaming CSV (RFC 4180: quotes, doubled quotes, CR/LF inside quotes) for spreadsheets saved as
// CSV. Excel on Chinese Windows saves CSV as GB18030 ("ANSI"); other tools save UTF-8, with or
// without a BOM. The encoding is decided from the first bytes: UTF-8 if they decode strictly,
// else GB18030.
import type { Readable } from 'node:stream';

/** One record: its 1-based number (the spreadsheet row: the header is row 1) and its cells. */
export interface SheetRow {
  row: number;
  cells: string[];
}

function pickDecoder(head: Uint8Array): TextDecoder {
  try {
    // stream: true tolerates a multi-byte character cut at the end of the chunk.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return new TextDecoder('utf-8', { ignoreBOM: false });
  } catch {
    return new TextDecoder('gb18030');
  }
}

/** Parses a CSV byte stream into records, holding only the current record in memory. */
export async function* readCsv(input: Readable | AsyncIterable<Uint8Array | string>): AsyncGenerator<SheetRow> {
  let decoder: TextDecoder | undefined;
  let cells: string[] = [];
  let cell = '';
  let quoted = false; // inside a quoted field
  let afterQuote = false; // a quote was just seen inside a quoted field
  let row = 0;
  let lastWasCR = false;
  let any = false; // the current record has content

  function* endRecord(): Generator<SheetRow> {
    cells.push(cell);
    cell = '';
    row++;
    const out = cells;
    cells = [];
    any = false;
    yield { row, cells: out };
  }

  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      decoder ??= pickDecoder(chunk);
      text = decoder.decode(chunk, { stream: true });
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (ch === '"') {
            cell += '"';
            continue;
          }
          quoted = false; // the quote closed the field; fall through to handle ch
        } else if (ch === '"') {
          afterQuote = true;
          continue;
        } else {
          cell += ch;
          continue;
        }
      }
      if (ch === '\n' && lastWasCR) {
        lastWasCR = false;
        continue;
      }
      lastWasCR = ch === '\r';
      if (ch === '"' && cell === '') {
        quoted = true;
        any = true;
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
        any = true;
      } else if (ch === '\r' || ch === '\n') {
        yield* endRecord();
      } else if (ch === '\uFEFF' && row === 0 && cells.length === 0 && cell === '') {
        // BOM given as text
      } else {
        cell += ch;
        any = true;
      }
    }
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) cell += rest;
  }
  if (any || cell !== '' || cells.length > 0) yield* endRecord();
}
