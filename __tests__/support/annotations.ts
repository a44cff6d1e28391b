import { IConstruct } from 'constructs';
import { SECURITY_ANNOTATION_PREFIX } from '../../constructs/security/security-aspect';

/** Annotation texts of one level under `scope`, only those the security checks add. */
export function securityAnnotations(scope: IConstruct, level: 'error' | 'warn' | 'info'): string[] {
  return scope.node
    .findAll()
    .flatMap((n) => n.node.metadata.filter((m) => m.type === `@cdktf/${level}`).map((m) => String(m.data)))
    .filter((text) => text.startsWith(`[${SECURITY_ANNOTATION_PREFIX}:`));
}
