/**
 * What the off-node export costs in CloudWatch Logs, as pure code: the worked estimate of docs/security.md#what-it-costs is
 * rendered from here ({@link renderExportCostTable}) and a test compares the two.
 *
 * Prices: CloudWatch Logs, Standard log class, US East (N. Virginia), as listed for June 2026:
 * ingestion $0.50 per GB, storage $0.03 per GB-month, Logs Insights $0.005 per GB scanned (AWS
 * CloudWatch pricing page, https://aws.amazon.com/cloudwatch/pricing/, "Logs" tab; the figures were
 * read from a third-party copy of that page dated June 2026, c3x.dev, because the stored copy of
 * AWS's page renders its tables by script: check the page for your region before relying on them).
 * Other regions charge more (eu-west-1 and ap-northeast-1 list higher ingestion prices).
 *
 * Sizes: the bytes of one exported line are measured on the project's sample lines (Hubble's flow
 * export and Tetragon's JSON export, `HUBBLE_FLOW_SAMPLES` / `READY_MADE_POLICY_SAMPLES`), plus
 * the newline. Storage is counted uncompressed: an upper bound (CloudWatch stores log data
 * compressed; by how much for these lines is unmeasured).
 */
import { HUBBLE_FLOW_SAMPLES } from '../../bpf/hubble-flow-samples';
import { READY_MADE_POLICY_SAMPLES } from '../../bpf/tracing/samples';
import { declare, int, list, parse, strict, text, v } from '../../core/schema';

const nonNegative = (allowed: string): v.GenericSchema<number> => v.pipe(v.number(allowed), v.finite(allowed), v.minValue(0, allowed));

/** The CloudWatch Logs prices the estimate uses, with where they come from. */
export const CLOUDWATCH_LOGS_PRICES = Object.freeze({
  region: 'us-east-1',
  asOf: '2026-06',
  ingestionPerGb: 0.5,
  storagePerGbMonth: 0.03,
  insightsPerGbScanned: 0.005,
  source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, Standard log class, US East (N. Virginia), June 2026)',
});

/** Days in an average month (365 / 12). */
const DAYS_PER_MONTH = 365 / 12;
const GB = 1e9;

/** One kind of shipped line: how many per second on one node, and its size in bytes. */
export interface ShippedLine {
  /**
   * What kind of line it is, as the docs' cost table names it (`dropped flows`, `Tetragon policy events`).
   */
  readonly what: string;
  /** Lines of this kind written per second on one node (a mean; 0 or more). */
  readonly perSecondPerNode: number;
  /**
   * Bytes of one line as shipped (compact JSON and its newline; 0 or more): the size CloudWatch Logs ingests
   * and stores.
   */
  readonly bytes: number;
}
/** The declaration of {@link ShippedLine}. */
export const ShippedLineSchema = declare<ShippedLine>()(
  strict({ what: text('what is shipped'), perSecondPerNode: nonNegative('a non-negative rate'), bytes: nonNegative('a non-negative size in bytes') }, 'a shipped line { what, perSecondPerNode, bytes }'),
);

/** A cluster's export, for the estimate. */
export interface ExportCostInput {
  /** Nodes shipping lines (0 to 100,000): each ships every entry of `lines`. */
  readonly nodes: number;
  /** The kinds of line each node ships, each with its rate and size ({@link ShippedLine}). */
  readonly lines: readonly ShippedLine[];
  /** CloudWatch retention, for the storage at steady state. */
  readonly retentionDays: number;
}
/** The declaration of {@link ExportCostInput}. */
export const ExportCostInputSchema = declare<ExportCostInput>()(
  strict({ nodes: int(0, 100000), lines: list(ShippedLineSchema), retentionDays: int(1, 3653) }, 'an export { nodes, lines, retentionDays }'),
);

/** GB ingested per day, and the monthly cost: ingestion, storage once retention is full, total. */
export interface ExportCost {
  /**
   * Decimal gigabytes (10^9 bytes) shipped per day by all nodes together: lines/s x bytes x nodes x 86,400.
   */
  readonly gbPerDay: number;
  /**
   * US dollars per month for ingestion: `gbPerDay` x 365/12 days x the ingestion price per GB
   * ({@link CLOUDWATCH_LOGS_PRICES}).
   */
  readonly ingestionPerMonth: number;
  /**
   * US dollars per month for storage once the retention window is full: `gbPerDay` x `retentionDays` x the
   * storage price per GB-month, counted uncompressed (an upper bound).
   */
  readonly storagePerMonth: number;
  /** US dollars per month, ingestion and storage together (Logs Insights queries not included). */
  readonly totalPerMonth: number;
}

/** The estimate: lines x size x nodes x 86,400 s; storage = a full retention window of them. */
export function estimateExportCost(input: ExportCostInput, prices = CLOUDWATCH_LOGS_PRICES): ExportCost {
  parse(ExportCostInputSchema, input, 'estimateExportCost(input)');
  const bytesPerDay = input.lines.reduce((sum, l) => sum + l.perSecondPerNode * l.bytes, 0) * input.nodes * 86400;
  const gbPerDay = bytesPerDay / GB;
  const ingestionPerMonth = gbPerDay * DAYS_PER_MONTH * prices.ingestionPerGb;
  const storagePerMonth = gbPerDay * input.retentionDays * prices.storagePerGbMonth;
  return { gbPerDay, ingestionPerMonth, storagePerMonth, totalPerMonth: ingestionPerMonth + storagePerMonth };
}

/** Bytes of a line as the export writes it: compact JSON and a newline. */
const lineBytes = (line: object): number => Buffer.byteLength(JSON.stringify(line)) + 1;
const flowBytes = (description: string): number => lineBytes((HUBBLE_FLOW_SAMPLES.find((s) => s.description === description) ?? HUBBLE_FLOW_SAMPLES[0]).line);
/** The mean size of the ready-made policies' sample events. */
const tetragonBytes = (): number => {
  const all = Object.values(READY_MADE_POLICY_SAMPLES).flat();
  return Math.round(all.reduce((s, e) => s + lineBytes(e.event), 0) / all.length);
};

/**
 * The docs' scenario: 10 nodes, each seeing 500 flows/s (Hubble records each direction of a
 * connection at its observation points, so a few flows per connection: roughly 100 new
 * connections per second per node); of those, 1 drop/s, 20 policy verdicts/s (new connections to
 * endpoints that a policy selects), 1 HTTP 4xx/5xx per second (L7 proxy only); 0.01 Tetragon
 * events/s per node (the ready-made policies fire on sensitive reads, shells and IMDS calls, not
 * on routine work). Retention 365 days (the default).
 */
export function exampleScenario(nodes = 10): { readonly defaults: ExportCostInput; readonly allFlows: ExportCostInput } {
  const verdict = flowBytes('a policy verdict (a new connection an enforcing policy allowed)');
  const drop = flowBytes('a connection denied by policy (drop)');
  const http = flowBytes('an HTTP 503 response through the L7 proxy');
  const trace = flowBytes('an allowed TCP packet trace (most flows)');
  const tetragon: ShippedLine = { what: 'Tetragon policy events', perSecondPerNode: 0.01, bytes: tetragonBytes() };
  return {
    defaults: {
      nodes,
      retentionDays: 365,
      lines: [
        { what: 'dropped flows', perSecondPerNode: 1, bytes: drop },
        { what: 'policy verdicts', perSecondPerNode: 20, bytes: verdict },
        { what: 'HTTP 4xx/5xx', perSecondPerNode: 1, bytes: http },
        tetragon,
      ],
    },
    allFlows: { nodes, retentionDays: 365, lines: [{ what: 'every flow', perSecondPerNode: 500, bytes: trace }, tetragon] },
  };
}

const usd = (n: number): string => `$${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2)}`;
const gb = (n: number): string => (n >= 10 ? n.toFixed(0) : n.toFixed(2));

/** The docs' table of the scenario: per kind of line, then the two totals. */
export function renderExportCostTable(nodes = 10): string {
  const { defaults, allFlows } = exampleScenario(nodes);
  const rows = [
    '| shipped | lines/s per node | bytes per line | GB/day | ingestion/month | storage/month at 365 days | total/month |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, input] of [
    ['default filters', defaults],
    ['`allFlows: true`', allFlows],
  ] as const) {
    for (const l of input.lines) {
      const c = estimateExportCost({ ...input, lines: [l] });
      rows.push(`| ${name}: ${l.what} | ${l.perSecondPerNode} | ${l.bytes} | ${gb(c.gbPerDay)} | ${usd(c.ingestionPerMonth)} | ${usd(c.storagePerMonth)} | ${usd(c.totalPerMonth)} |`);
    }
    const t = estimateExportCost(input);
    rows.push(`| **${name}, ${input.nodes} nodes** | | | **${gb(t.gbPerDay)}** | **${usd(t.ingestionPerMonth)}** | **${usd(t.storagePerMonth)}** | **${usd(t.totalPerMonth)}** |`);
  }
  return rows.join('\n');
}
