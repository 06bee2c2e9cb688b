/** How a step handler ended; the plan step handler writes it to the step row. */
export interface StepOutcome {
  readonly state: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  readonly output: string;
  readonly error?: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
