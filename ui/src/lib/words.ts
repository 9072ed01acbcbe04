/** `n` and the noun, singular for one: "1 topic", "3 topics", "0 sessions". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
