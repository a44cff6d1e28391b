/**
 * The version report of one cluster (rows of `CiliumEksCluster.versionReport`) as text, one block
 * per component, for `npm run versions`.
 */
'use strict';

/** `rows` as text under `title`; `today` (`YYYY-MM-DD`) decides "ends" or "ended". */
function formatVersionReport(rows, today, title) {
  const lines = [`${title}: versions on ${today}`, ''];
  for (const r of rows) {
    // ISO days compare as strings.
    const ends = r.supportEnds === undefined ? '' : ` (support ${r.supportEnds <= today ? 'ended' : 'ends'} ${r.supportEnds})`;
    lines.push(`${r.component}: ${r.version}${ends}`);
    lines.push(`  from:       ${r.source}`);
    if (r.kubernetes) lines.push(`  Kubernetes: ${r.kubernetes}`);
    lines.push(`  next:       ${r.next}`);
    lines.push(`  newer?      ${r.newerCommand}`);
    lines.push('');
  }
  return lines.join('\n');
}

module.exports = { formatVersionReport };
