/**
 * A regular expression as JSON Schema validators read it (ECMA-262 with the `u` flag, as Ajv compiles it).
 * Patterns written for other engines often escape characters that need no escape (`\:`, `\-` outside a
 * class) or use a literal `{`; those are rewritten to mean the same in Unicode mode. Undefined when the
 * pattern still does not compile (inline flags such as `(?i)`, possessive quantifiers, ...).
 */
export function toUnicodePattern(pattern: string): string | undefined {
  if (compilesAsUnicode(pattern)) return pattern;
  const repaired = repairPattern(pattern);
  return compilesAsUnicode(repaired) ? repaired : undefined;
}

function compilesAsUnicode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const syntaxCharacters = new Set('^$\\.*+?()[]{}|/');

function repairPattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      const next = pattern[index + 1];
      index++;
      if (next === undefined) out += '\\\\';
      else if (/[A-Za-z0-9]/.test(next) || syntaxCharacters.has(next) || (inClass && next === '-')) out += `\\${next}`;
      else out += next;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      if (pattern[index + 1] === '^') out += pattern[++index];
      if (pattern[index + 1] === ']') {
        out += '\\]';
        index++;
      }
      continue;
    }
    if (char === '{') {
      const quantifier = /^\{\d+(,\d*)?\}/.exec(pattern.slice(index));
      if (quantifier && out !== '' && !/[(|]$/.test(out)) {
        out += quantifier[0];
        index += quantifier[0].length - 1;
      } else out += '\\{';
      continue;
    }
    out += char === '}' || char === ']' ? `\\${char}` : char;
  }
  return out;
}
