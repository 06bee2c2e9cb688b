export { Audit, auditContextOf } from '../audit/audit-context.decorator';
export { type AuditContext, AuditService } from '../audit/audit.service';
export * from './principal';
export * from './public.decorator';
export * from './require-role.decorator';
export * from './role';
