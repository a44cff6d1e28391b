/**
 * The little of Markdown the doc checks need: headings and their anchors as GitHub makes them,
 * links outside code, and fenced code blocks with their language.
 */

/** A fenced code block: its info string (`sh`, `ts`, ...) and its text. */
export interface CodeBlock {
  readonly lang: string;
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** A link `[text](target)` outside code, with its line. */
export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

/** Splits a page into its fenced code blocks and the prose lines (code blocks blanked). */
function split(markdown: string): { prose: string[]; blocks: CodeBlock[] } {
  const prose: string[] = [];
  const blocks: CodeBlock[] = [];
  let open: { lang: string; line: number; lines: string[]; fence: string } | undefined;
  markdown.split('\n').forEach((line, i) => {
    const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (open) {
      if (fence && fence[1].startsWith(open.fence) && line.trim() === fence[1]) {
        blocks.push({ lang: open.lang, text: open.lines.join('\n') + '\n', line: open.line });
        open = undefined;
      } else open.lines.push(line);
      prose.push('');
    } else if (fence) {
      open = { lang: fence[2], line: i + 1, lines: [], fence: fence[1] };
      prose.push('');
    } else prose.push(line);
  });
  if (open) throw new Error(`code block opened on line ${open.line} is never closed`);
  return { prose, blocks };
}

/** The fenced code blocks of a page. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return split(markdown).blocks;
}

/** Inline code spans removed (a `[x](y)` inside backticks is not a link). */
function withoutInlineCode(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, '');
}

/**
 * GitHub's anchor for a heading (github-slugger, which github.com uses): the text as rendered
 * (code spans keep their text, links their label, emphasis markers go), lower case, every
 * character but letters, digits, `_`, `-` and spaces removed, spaces made hyphens.
 */
export function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Every anchor of a page: one per heading, repeats numbered `-1`, `-2` as GitHub does, and one per
 * HTML anchor (`<a id="property-name"></a>`, which the API reference's tables use: an `a` tag's
 * `id` or `name` defines a fragment, markdownlint's MD051 "link-fragments", which follows github.com).
 */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of split(markdown).prose) {
    for (const m of withoutInlineCode(line).matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]);
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Every inline link of a page, outside code blocks and code spans. */
export function links(markdown: string): MarkdownLink[] {
  const out: MarkdownLink[] = [];
  split(markdown).prose.forEach((line, i) => {
    for (const m of withoutInlineCode(line).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ target: m[1], line: i + 1 });
  });
  return out;
}
