export * from './drill-eligibility';
export * from './duration-comparison';
export * from './drill-report.types';
export * from './drill-report.builder';
export * from './rehearsal-schedule';
