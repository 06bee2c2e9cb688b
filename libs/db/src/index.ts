export * from './generated/prisma/client';
export * from './prisma-client.factory';
export * from './prisma.module';
export * from './prisma.service';
export * from './secret-box';
export * from './host-facts';
export * from './sql-rows';
export * from './fencing';
