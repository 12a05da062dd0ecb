// The short number people use for a hazard in chat (「隐患 HZ-1A2B3C4D」): the first 8 hex digits of
// its id, upper-cased. Unique enough within one installation; a clash is answered with a list.

/** "HZ-1A2B3C4D" for a hazard id. */
export function hazardNo(id: string): string {
  return `HZ-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

/** The id prefix a typed number stands for ("hz-1a2b3c4d", "1A2B3C4D"), or null if it is not one. */
export function idPrefixOf(text: string): string | null {
  const m = /^(?:HZ-?)?([0-9a-f]{8})$/i.exec(text.trim());
  return m ? m[1]!.toLowerCase() : null;
}
