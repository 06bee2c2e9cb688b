export interface VimFault {
  /** e.g. "vim.fault.ToolsUnavailable" */
  readonly fault: string;
  readonly message: string | undefined;
}

/**
 * Finds a `(vim.fault.X) { ... msg = "..." }` dump in vim-cmd's output. vim-cmd does not always
 * exit non-zero on a fault, so every wrapper checks for one.
 */
export function parseVimFault(output: string): VimFault | undefined {
  const fault = /\(((?:vim|vmodl)\.fault\.[A-Za-z.]+)\)/.exec(output)?.[1];
  if (fault === undefined) return undefined;
  const message = /\bmsg\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(output)?.[1] ?? /\bmsg\s*=\s*'([^']*)'/.exec(output)?.[1];
  return { fault, message: message || undefined };
}
