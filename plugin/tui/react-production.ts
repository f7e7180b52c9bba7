// React picks its build when it is first loaded, from NODE_ENV: unset, it loads the development build,
// whose per-render checks and profiling marks made each frame of the watch several times slower
// (docs/benchmarks.md, bench:tui). Imported first by whatever draws the screen, before Ink and React.
process.env.NODE_ENV ??= 'production';

export {};
