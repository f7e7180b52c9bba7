// The shell names alone, for the `completion` argument at every start (`--help` included) without
// loading the generators; completion/index.ts has one script per name (a unit test holds them equal).
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
