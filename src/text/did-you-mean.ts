/**
 * "Did you mean" for a word the user mistyped (a config key; commander has its
 * own for commands and flags, with the same measure): the closest candidate by
 * edit distance — insertions, deletions, substitutions and swaps of two
 * neighbours — when it is close enough to be what was meant.
 */

/** Further than this many edits is another word, not a typo. */
const MAX_EDITS = 3;

// Optimal string alignment distance, two rows at a time; gives up (MAX_EDITS + 1) once past the bound.
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_EDITS) return MAX_EDITS + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length];
}

/**
 * The candidate `word` most likely meant, or undefined when none is close:
 * at most 3 edits, and fewer edits than half the word's length.
 */
export function closestWord(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_EDITS + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    const similar = distance < Math.max(word.length, candidate.length) / 2;
    if (similar && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
