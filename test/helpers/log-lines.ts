// Reading log lines in tests: a JSON line's top-level keys in order, duplicates kept (JSON.parse
// would silently keep only the last of two equal keys).

/** The top-level keys of one JSON object line, in the order written. */
export function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let end = i + 1;
      while (line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
      let after = end + 1;
      while (line[after] === ' ') after++;
      if (depth === 1 && line[after] === ':') keys.push(JSON.parse(line.slice(i, end + 1)));
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

/** Keys written more than once in a JSON line. */
export function duplicateKeys(line: string): string[] {
  const keys = topLevelKeys(line);
  return [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
}
