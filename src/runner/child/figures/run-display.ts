/**
 * Where a script run's `plt.show()` puts its figures: each is drawn as SVG here, in the script
 * process, and sent as a `figure` event, which the panel lists in its Figures tab (and a run
 * record keeps). A notebook kernel displays figures under their cell instead, with its own handler.
 */
import type { ChildEvent } from '../../../protocol/script-process.js';
import { figuresModule, setFigureDisplay } from './bridge.js';
import type { FigureDescription } from './description.js';

export function showFiguresAsEvents(send: (event: ChildEvent) => void): void {
  let shown = 0;
  setFigureDisplay((figure: FigureDescription) => {
    const svg = figuresModule.render(JSON.stringify(figure), 'svg', figure.dpi) as string;
    shown += 1;
    send({ type: 'figure', index: shown, width: Math.round(figure.size[0] * figure.dpi), height: Math.round(figure.size[1] * figure.dpi), svg });
  });
}
