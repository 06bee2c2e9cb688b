export * from './audit-context.decorator';
export * from './audit-redaction';
export * from './audit.service';
