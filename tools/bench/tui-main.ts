// One run of `npm run bench:tui` (tui-run.tsx). React's production build is chosen before anything loads
// React: a .tsx module's own first import is the JSX runtime, so the choice cannot be made inside it.
import '../../plugin/tui/react-production.js';

await import('./tui-run.js');
