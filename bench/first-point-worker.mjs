// Worker of (h), see first-point.mjs:
//   node bench/first-point-worker.mjs BUNDLE ROOT WORKSPACE SCRIPT RUNS
// One process plays the extension host for RUNS runs of SCRIPT: the first pays for loading the
// runner (as a learner's first Run Training after VS Code starts does), the others do not.
import { pathToFileURL } from 'node:url';
import { median, RESULT_MARKER } from './timing.mjs';

const [bundle, root, workspace, script, runsText] = process.argv.slice(2);
const ext = await import(pathToFileURL(bundle).href);
ext.workspaceState.root = workspace;

const problems = [];
const sessions = new ext.RunSessions(root, (line) => problems.push(line));
const panelHost = new ext.PanelHost(ext.Uri.file(root), new ext.RecordsBrowser((line) => problems.push(line)), new ext.Memento());
sessions.onEvent((event) => panelHost.onEvent(event));
panelHost.show('curves');
const [panel] = ext.panels;
panel.receive({ type: 'ready' });

const times = [];
/** Run Training → the runner's first metrics event (before the panel host's flush). */
const toEvent = [];
for (let i = 0; i < Number(runsText); i++) {
  let metricsEventAt = 0;
  const listening = sessions.onEvent((event) => {
    if (event.type === 'metrics' && metricsEventAt === 0) metricsEventAt = performance.now();
  });
  const posted = new Promise((resolve) => {
    panel.onPost = (message) => {
      if (JSON.parse(message).type === 'metrics') {
        panel.onPost = null;
        resolve(performance.now());
      }
    };
  });
  const start = performance.now();
  // What the Run Training command does (src/extension/commands.ts): start, then show the curves.
  const live = await sessions.start(script);
  panelHost.show('curves');
  const end = await Promise.race([posted, live.done.then(() => posted)]);
  times.push(end - start);
  toEvent.push(metricsEventAt - start);
  const done = await live.done;
  listening.dispose();
  if (done.type !== 'run-finished' || done.status !== 'completed') throw new Error(`the run did not complete: ${JSON.stringify(done)}`);
}
sessions.dispose();
panelHost.dispose();
if (problems.length > 0) throw new Error(problems.join('\n'));
process.stdout.write(
  `${RESULT_MARKER}${JSON.stringify({
    how: 'the extension\'s run session and panel host driven in Node, vscode faked for the panel (bench/first-point.mjs)',
    times_ms: times,
    first_ms: times[0],
    median_ms: median(times),
    min_ms: Math.min(...times),
    max_ms: Math.max(...times),
    to_metrics_event_ms: toEvent,
  })}\n`,
);
