export * from './power-cycle.types';
export * from './power-cycle.commands';
export * from './power-cycle.decision';
export * from './power-cycle.timing';
export * from './power-cycle-steps.builder';
