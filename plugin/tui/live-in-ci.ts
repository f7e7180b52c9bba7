// Ink draws only its last frame when CI or CONTINUOUS_INTEGRATION is set (it reads them once, when it is
// first loaded), so a person running the watch in a terminal where CI happens to be set — a CI runner's
// interactive debug shell, a tmux session started from a pipeline — saw a blank screen until `q`. The
// screen is drawn only when stdin and stdout are terminals (plugin/commands/watch.ts), so it is live
// there. Imported before Ink; nothing else in the process reads these variables.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

export {};
