/**
 * L7 rules for gRPC. gRPC runs over HTTP/2 and every call is a `POST` to the path
 * `/<package>.<Service>/<Method>` (grpc/grpc doc/PROTOCOL-HTTP2.md, "Path → ':path' '/' Service-Name
 * '/' {method name}"); Cilium matches gRPC with its HTTP rules on that method and path (Cilium docs,
 * "Securing gRPC", the `cloudcity.DoorManager` example). These builders write such HTTP rules, so
 * they travel in `PortRule.allowHttp` like any other; the lint (lint.ts) knows the path shape.
 */
import { check } from '../../core/errors';
import { Peer } from './peer';
import { HttpPath, HttpRule, Port, PortRule } from './ports';
import { CiliumNetworkPolicy } from './policy';
import { Egress, Ingress } from './rules';
import { Selector } from './selector';
import { declare, int, list, optional, parse, pattern, record, strict, string } from '../../core/schema';
import { dns1123Label, dns1123Subdomain } from '../../core/rules';

/** A protobuf full service name: dot-separated identifiers, e.g. `cloudcity.DoorManager`. */
export const GRPC_SERVICE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A protobuf method name, e.g. `GetName`. */
export const GRPC_METHOD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** gRPC calls as Cilium HTTP rules. */
export class GrpcRule {
  /** Calls of `service`'s `methods` (each one rule: `POST ^/<service>/<method>$`). */
  static methods(service: string, ...methods: string[]): HttpRule[] {
    GrpcRule.checkService('GrpcRule.methods(service)', service);
    check(methods.length > 0, 'GrpcRule.methods', methods, 'at least one method name', 'use GrpcRule.service() to allow every method');
    methods.forEach((m, i) => check(GRPC_METHOD_NAME.test(m), `GrpcRule.methods[${i}]`, m, 'a protobuf method name such as GetName'));
    check(new Set(methods).size === methods.length, 'GrpcRule.methods', methods, 'each method once');
    return methods.map((m) => HttpRule.of({ method: 'POST', path: HttpPath.exact(`/${service}/${m}`) }));
  }

  /** Every method of `service`: `POST ^/<service>/.*$`. */
  static service(service: string): HttpRule {
    GrpcRule.checkService('GrpcRule.service', service);
    return HttpRule.of({ method: 'POST', path: HttpPath.prefix(`/${service}/`) });
  }

  private static checkService(property: string, service: string): void {
    check(typeof service === 'string' && GRPC_SERVICE_NAME.test(service), property, service, 'a protobuf full service name such as cloudcity.DoorManager (package and service, dot-separated)');
  }

  private constructor() {}
}

/** Props of {@link grpcClientToService}. */
export interface GrpcClientToServiceProps {
  /** `metadata.name`. @default 'grpc-client-to-service' */
  readonly name?: string;
  /** Namespace of both workloads. @default 'default' */
  readonly namespace?: string;
  /** Labels of the server pods. @default { app: 'cc-door-mgr' } */
  readonly serverLabels?: Record<string, string>;
  /** Labels of the client pods. @default { app: 'cc-door-client' } */
  readonly clientLabels?: Record<string, string>;
  /** The server's gRPC port. @default 50051 */
  readonly port?: number;
  /** Full service name. @default 'cloudcity.DoorManager' */
  readonly service?: string;
  /** Methods the client may call. @default ['GetName', 'GetLocation'] (not RequestMaintenance) */
  readonly methods?: readonly string[];
}
const grpcLabels = record(string('a label key'), string('a label value'), 'an object of label keys to values');
export const GrpcClientToServicePropsSchema = declare<GrpcClientToServiceProps>()(
  strict(
    {
      name: optional(dns1123Subdomain('a policy name')),
      namespace: optional(dns1123Label('a namespace')),
      serverLabels: optional(grpcLabels),
      clientLabels: optional(grpcLabels),
      port: optional(int(1, 65535)),
      service: optional(pattern(/^[A-Za-z_][\w.]*$/, 'a fully qualified gRPC service name such as cloudcity.DoorManager')),
      methods: optional(list(pattern(/^[A-Za-z_]\w*$/, 'a gRPC method name such as GetName'), { min: 1 })),
    },
    'gRPC policy props',
  ),
);

/**
 * A ready-made gRPC example after Cilium's "Securing gRPC" guide: the client may call only some
 * methods of the server's service (by default `GetName` and `GetLocation` of
 * `cloudcity.DoorManager`, not `RequestMaintenance`); the server accepts nothing else from it on
 * that port. As in `storefrontToCatalog`, a second, additive spec lets the client's egress out.
 */
export function grpcClientToService(props: GrpcClientToServiceProps = {}): CiliumNetworkPolicy {
  parse(GrpcClientToServicePropsSchema, props, 'grpcClientToService(props)');
  const server = Selector.labels(props.serverLabels ?? { app: 'cc-door-mgr' });
  const client = Selector.labels(props.clientLabels ?? { app: 'cc-door-client' });
  const port = Port.tcp(props.port ?? 50051);
  const service = props.service ?? 'cloudcity.DoorManager';
  const methods = [...(props.methods ?? ['GetName', 'GetLocation'])];
  return new CiliumNetworkPolicy({
    name: props.name ?? 'grpc-client-to-service',
    namespace: props.namespace ?? 'default',
    specs: [
      {
        description: `the server accepts only ${methods.map((m) => `${service}/${m}`).join(', ')} from the client on ${port.port}/TCP`,
        endpointSelector: server,
        ingress: [Ingress.from(Peer.endpoints(client)).on(PortRule.of(port).allowHttp(...GrpcRule.methods(service, ...methods)))],
      },
      {
        description: `the client may connect to the server on ${port.port}/TCP`,
        endpointSelector: client,
        enableDefaultDeny: { egress: false },
        egress: [Egress.to(Peer.endpoints(server)).on(port)],
      },
    ],
  });
}
