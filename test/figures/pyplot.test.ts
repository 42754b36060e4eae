// matplotlib.pyplot in Python scripts, run through the CLI as a learner runs them: the calls'
// return values and reprs as real matplotlib prints them (fixtures/session.py and its expected
// output from matplotlib 3.6.3), and the PNG and SVG files savefig writes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { countColour, inkPixels, readPng } from './png.js';

const exec = promisify(execFile);
const cli = resolve('bin', 'autograd-lab.mjs');
const fixtures = resolve('test', 'figures', 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'agl-figures-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function run(script: string, cwd = work): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, 'run', script, '--no-record'], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

let session: Promise<{ code: number; out: string; err: string }> | null = null;
/** fixtures/session.py under Autograd Lab, run once for the tests that read its output. */
const sessionRun = () => (session ??= run(join(fixtures, 'session.py'), fixtures));

function script(name: string, source: string): string {
  writeFileSync(join(work, name), source);
  return name;
}

describe('pyplot under Autograd Lab', { concurrency: 4 }, () => {
  it('returns and prints what matplotlib returns and prints for each supported call', async () => {
    const r = await sessionRun();
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, readFileSync(join(fixtures, 'session.expected.txt'), 'utf8'));
  });

  it('warns as matplotlib warns (identical limits, a legend with no labelled artists)', async () => {
    const r = await sessionRun();
    const lines = (text: string) => text.split('\n').map((l) => l.replace(/^\S*session\.py:/, 'session.py:'));
    assert.deepEqual(lines(r.err), lines(readFileSync(join(fixtures, 'session.expected-stderr.txt'), 'utf8')));
  });

  it('saves a PNG of figsize × dpi pixels with the lines in matplotlib’s colours', async () => {
    const s = script('png.py', [
      'import matplotlib.pyplot as plt',
      'plt.figure(figsize=(4, 3), dpi=50)',
      'plt.plot([0, 1, 2], [0, 1, 4], linewidth=4)',
      'plt.plot([0, 1, 2], [4, 1, 0], color="red", linewidth=4)',
      'plt.savefig("lines.png")',
    ].join('\n'));
    const r = await run(s);
    assert.equal(r.code, 0, r.err);
    const image = readPng(readFileSync(join(work, 'lines.png')));
    assert.deepEqual([image.width, image.height], [200, 150]);
    assert.ok(countColour(image, '#1f77b4') > 50, 'the first line is drawn in tab:blue');
    assert.ok(countColour(image, '#ff0000') > 50, 'the second line is drawn in red');
    assert.ok(inkPixels(image) > 1000);
  });

  it('saves an SVG in points with the axis labels, title and tick labels as text', async () => {
    const s = script('svg.py', [
      'import matplotlib.pyplot as plt',
      'plt.plot([35.7, 81.9], [-4.0, 28.0], "b--")',
      'plt.xlabel("Temperature (°Fahrenheit)")',
      'plt.ylabel("Temperature (°Celsius)")',
      'plt.title("Thermometer")',
      'plt.savefig("plot.svg")',
    ].join('\n'));
    const r = await run(s);
    assert.equal(r.code, 0, r.err);
    const svg = readFileSync(join(work, 'plot.svg'), 'utf8');
    assert.match(svg.slice(0, 300), /<svg[^>]* width="460\.8pt" height="345\.6pt"/);
    for (const text of ['Temperature (°Fahrenheit)', 'Temperature (°Celsius)', 'Thermometer', '40', '80', '−5', '25']) {
      assert.ok(svg.includes(`>${text}</text>`), `the SVG shows ${text}`);
    }
    assert.match(svg, /stroke="#0000ff"/);
    assert.match(svg, /stroke-dasharray="5\.55,2\.4"/);
  });

  it('plots each column of 2-D data as its own line, and refuses shapes as matplotlib 3.6 does', async () => {
    // Expected lines printed by matplotlib 3.6.3 with PyTorch 1.13 for the same script.
    const s = script('columns.py', [
      'import torch',
      'import matplotlib.pyplot as plt',
      't = torch.linspace(20., 90., 5).unsqueeze(1)',
      'print(len(plt.plot(t.numpy(), (t * 0.5).numpy(), "c-")))',
      'lines = plt.plot(t.numpy(), torch.cat([t * 0.5, t * 0.25], dim=1).numpy())',
      'print(len(lines), [l.get_color() for l in lines], list(lines[1].get_ydata()))',
      'for x, y in ((t, torch.ones(4)), (torch.ones(5, 2), torch.ones(5, 3))):',
      '    try:',
      '        plt.plot(x.numpy(), y.numpy())',
      '    except ValueError as e:',
      '        print(e)',
    ].join('\n'));
    const r = await run(s);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, [
      '1',
      "2 ['#1f77b4', '#ff7f0e'] [5.0, 9.375, 13.75, 18.125, 22.5]",
      'x and y must have same first dimension, but have shapes (5, 1) and (4,)',
      'x has 2 columns but y has 3 columns',
      '',
    ].join('\n'));
  });

  it('plt.show() in a script run sends each open figure as a figure event, drawn as SVG at its size, and closes it', async () => {
    const s = script('show.py', [
      'import matplotlib.pyplot as plt',
      'plt.figure(figsize=(4, 3), dpi=100)',
      'plt.plot([1, 2, 3], [3, 1, 2], "r-")',
      'plt.xlabel("epoch")',
      'plt.figure(dpi=50)',
      'plt.ylabel("loss")',
      'plt.show()',
      'print(plt.get_fignums())',
    ].join('\n'));
    let out = '';
    try {
      ({ stdout: out } = await exec(process.execPath, [cli, 'run', s, '--no-record', '--json'], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 26 }));
    } catch (e) {
      assert.fail(String((e as { stderr?: string }).stderr ?? e));
    }
    const events = out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; index?: number; width?: number; height?: number; svg?: string; text?: string });
    const figures = events.filter((e) => e.type === 'figure');
    assert.deepEqual(figures.map((f) => [f.index, f.width, f.height]), [[1, 400, 300], [2, 320, 240]]);
    assert.ok(figures[0]!.svg!.includes('>epoch</text>'), 'the first figure shows its x label');
    assert.ok(figures[1]!.svg!.includes('>loss</text>'), 'the second figure shows its y label');
    assert.ok(events.some((e) => e.type === 'output' && e.text === '[]\n'), 'show() closed the figures');
  });

  it('takes the format from format= or, without an extension, saves a .png as matplotlib does', async () => {
    const s = script('formats.py', [
      'import matplotlib.pyplot as plt',
      'plt.plot([1, 2])',
      'plt.savefig("as_svg", format="svg")',
      'plt.savefig("no_extension")',
      'import io',
      'buf = io.BytesIO()',
      'plt.savefig(buf, format="png")',
      'print(buf.getvalue()[:4])',
    ].join('\n'));
    const r = await run(s);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(work, 'as_svg'), 'utf8'), /^<svg/);
    assert.equal(readPng(readFileSync(join(work, 'no_extension.png'))).width, 640);
    assert.equal(r.out, "b'\\x89PNG'\n");
  });

  it('crops savefig(bbox_inches="tight") to what is drawn, as matplotlib does, to a pixel', async () => {
    const cases = (JSON.parse(readFileSync(join(fixtures, 'tight.json'), 'utf8')) as { cases: { script: string; png: Record<string, [number, number]> }[] }).cases;
    const lines = ['import matplotlib.pyplot as plt'];
    cases.forEach((c, i) => {
      lines.push('plt.figure()', c.script);
      for (const dpi of Object.keys(c.png)) lines.push(`plt.savefig("tight${i}-${dpi}.png", bbox_inches="tight", dpi=${dpi})`);
      lines.push('plt.close()');
    });
    const r = await run(script('tight.py', lines.join('\n')));
    assert.equal(r.code, 0, r.err);
    cases.forEach((c, i) => {
      for (const [dpi, size] of Object.entries(c.png)) {
        const image = readPng(readFileSync(join(work, `tight${i}-${dpi}.png`)));
        assert.ok(Math.abs(image.width - size[0]) <= 1 && Math.abs(image.height - size[1]) <= 1, `case ${i} at ${dpi} dpi: ${image.width}×${image.height}, matplotlib ${size.join('×')}`);
      }
    });
  });

  it('runs the book’s chapter 5 figure cells (with .tolist() standing in for .numpy())', async () => {
    const s = script('chapter5.py', [
      'import torch',
      'import matplotlib.pyplot as plt',
      't_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])',
      't_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])',
      'params = torch.tensor([5.3671, -17.3012], requires_grad=True)',
      't_p = params[0] * (0.1 * t_u) + params[1]',
      'fig = plt.figure(dpi=600)',
      'plt.xlabel("Temperature (°Fahrenheit)")',
      'plt.ylabel("Temperature (°Celsius)")',
      'print(plt.plot(t_u.tolist(), t_p.detach().tolist()))',
      "print(plt.plot(t_u.tolist(), t_c.tolist(), 'o'))",
      'plt.savefig("temp_unknown_plot.png", format="png")',
    ].join('\n'));
    const r = await run(s);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\[<matplotlib\.lines\.Line2D object at 0x[0-9a-f]+>\]\n\[<matplotlib\.lines\.Line2D object at 0x[0-9a-f]+>\]\n$/);
    const image = readPng(readFileSync(join(work, 'temp_unknown_plot.png')));
    assert.deepEqual([image.width, image.height], [3840, 2880]);
    assert.ok(countColour(image, '#ff7f0e') > 10_000, 'the measurements are orange dots');
    assert.ok(countColour(image, '#1f77b4') > 10_000, 'the model is a blue line');
  });

  it('refuses a tensor that requires grad with PyTorch’s message, naming the line', async () => {
    const s = script('grad.py', 'import torch\nimport matplotlib.pyplot as plt\nw = torch.ones(3, requires_grad=True)\nplt.plot(w * 2)\n');
    const r = await run(s);
    assert.equal(r.code, 1);
    assert.match(r.err, /grad\.py", line 4/);
    assert.match(r.err, /RuntimeError: Can't call numpy\(\) on Tensor that requires grad\. Use tensor\.detach\(\)\.numpy\(\) instead\./);
  });

  it('names what matplotlib has but Autograd Lab does not yet, and errs as matplotlib for what it lacks', async () => {
    const s = script('names.py', [
      'import matplotlib.pyplot as plt',
      'for call in (lambda: plt.hist, lambda: plt.gca().bar, lambda: plt.savefig("x.jpg"), lambda: plt.plot([1], [2], drawstyle="steps"),',
      '             lambda: plt.title("$x^2$"), lambda: plt.subplots(2, sharex=True), lambda: plt.nothing):',
      '    try:',
      '        call()',
      '    except Exception as e:',
      '        print(type(e).__name__ + ": " + str(e))',
      'try:',
      '    import matplotlib.colors',
      'except NotImplementedError as e:',
      '    print(e)',
    ].join('\n'));
    const r = await run(s);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, [
      'NotImplementedError: matplotlib.pyplot.hist is not supported by Autograd Lab yet',
      'NotImplementedError: matplotlib.axes.Axes.bar is not supported by Autograd Lab yet',
      'NotImplementedError: savefig to jpg (png and svg are) is not supported by Autograd Lab yet',
      "NotImplementedError: the Line2D property 'drawstyle' is not supported by Autograd Lab yet",
      'NotImplementedError: mathtext (text between $ signs) is not supported by Autograd Lab yet',
      'NotImplementedError: subplots(..., sharex=...) is not supported by Autograd Lab yet',
      "AttributeError: module 'matplotlib.pyplot' has no attribute 'nothing'",
      'matplotlib.colors is not supported by Autograd Lab yet',
      '',
    ].join('\n'));
  });
});
