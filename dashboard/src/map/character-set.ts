/**
 * deck.gl's TextLayer draws from a glyph atlas built once for `characterSet`; a character
 * outside it is drawn as nothing, so a Vietnamese name like "Rạch Dừa" would lose its
 * letters. The set is built from the very strings the map draws, NFC-normalised (the pack
 * and the font use precomposed letters), plus digits and the signs of the value labels.
 */
export function characterSetOf(labels: Iterable<string>): string[] {
  const set = new Set<string>('0123456789+-−%.,: ');
  for (const label of labels) for (const ch of label.normalize('NFC')) set.add(ch);
  return [...set].sort();
}
