import { ExpressionParser, JinjaError } from "./jinja-expr.ts";
import { pyStr, Undefined } from "./python-values.ts";

export { FILTERS, JinjaError } from "./jinja-expr.ts";
export { Undefined };

/**
 * The part of Jinja2 vk-test-set templates use, rendered as `Environment()` renders it: `{{ expr }}`
 * (names, `.attr`, `[key]`, literals, filters), `{# comments #}`, `-` whitespace control, default
 * `Undefined` (an unknown name renders as the empty string; using it further is an error), no
 * `keep_trailing_newline`. Of the statements only `{% set name = expr %}` is rendered (a published
 * template extends `annotations` with it); the others (`if`, `for`, ...) are refused with their
 * position: a renderer that half-supports them would give verdicts Jinja2 does not.
 *
 * Rendering keeps a map from each offset of the output to the template offset it came from, so that
 * a YAML or schema error in the rendered text points at the template's own line and column.
 */

/** One piece of output: literal template text (`literal`) or what an expression printed. */
interface Segment {
  out: number;
  src: number;
  literal: boolean;
}

export interface Rendered {
  text: string;
  /** The template offset an output offset came from (an expression's output maps to its `{{`). */
  sourceOffset(outOffset: number): number;
}

export function renderJinja(template: string, context: Record<string, unknown>): Rendered {
  const source = template.replace(/\r\n?/g, "\n");
  // `{% set %}` assigns in the template's own scope, over the context it was given.
  const scope: Record<string, unknown> = { ...context };
  const segments: Segment[] = [];
  let text = "";
  const emit = (piece: string, src: number, literal: boolean): void => {
    if (piece === "") return;
    segments.push({ out: text.length, src, literal });
    text += piece;
  };
  let at = 0;
  let trimNext = false;
  const open = /\{\{|\{#|\{%/g;
  for (;;) {
    open.lastIndex = at;
    const m = open.exec(source);
    const literalEnd = m ? m.index : source.length;
    const trimBefore = m !== null && source[m.index + 2] === "-";
    let literal = source.slice(at, literalEnd);
    let literalStart = at;
    if (trimNext) {
      const kept = literal.replace(/^\s+/, "");
      literalStart += literal.length - kept.length;
      literal = kept;
    }
    if (trimBefore) literal = literal.replace(/\s+$/, "");
    emit(literal, literalStart, true);
    if (!m) break;
    const kind = m[0];
    const close = kind === "{{" ? "}}" : kind === "{#" ? "#}" : "%}";
    const end = source.indexOf(close, m.index + 2);
    if (end < 0)
      throw new JinjaError(`unclosed ${kind}: no ${close} follows`, m.index, `close it with ${close}`);
    const innerStart = m.index + 2 + (trimBefore ? 1 : 0);
    const trimAfter = source[end - 1] === "-" && end - 1 >= innerStart;
    const innerEnd = trimAfter ? end - 1 : end;
    if (kind === "{{") {
      const value = new ExpressionParser(source, innerStart, innerEnd, scope).parseAll();
      emit(pyStr(value), m.index, false);
    } else if (kind === "{%") setStatement(source, m.index, innerStart, innerEnd, scope);
    trimNext = trimAfter;
    at = end + 2;
  }
  // keep_trailing_newline=False: Jinja2 drops one trailing newline of the template.
  if (text.endsWith("\n") && source.endsWith("\n")) text = text.slice(0, -1);
  return {
    text,
    sourceOffset(outOffset) {
      let lo = 0;
      let hi = segments.length - 1;
      if (hi < 0) return 0;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid].out <= outOffset) lo = mid;
        else hi = mid - 1;
      }
      const seg = segments[lo];
      return seg.literal ? seg.src + Math.max(0, outOffset - seg.out) : seg.src;
    },
  };
}

/** `{% set name = expr %}`, the only statement rendered; any other is refused at its position. */
function setStatement(
  source: string,
  at: number,
  start: number,
  end: number,
  scope: Record<string, unknown>,
): void {
  const m = /^(\s*)set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(source.slice(start, end));
  if (!m) {
    const keyword = /^\s*(\w*)/.exec(source.slice(start, end));
    throw new JinjaError(
      `statement {% ${keyword?.[1] ?? ""} %} is not supported: kubeproof renders the Jinja2 subset vk-test-set templates use ({{ expressions }}, filters, {# comments #}, {% set %})`,
      at,
      "write the manifest without the statement, or open an issue with the template",
    );
  }
  scope[m[2]] = new ExpressionParser(source, start + m[0].length, end, scope).parseAll();
}
