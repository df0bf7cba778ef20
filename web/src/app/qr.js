// A QR code (ISO/IEC 18004, via qrcode-generator, MIT) drawn as inline SVG: one path of dark
// modules on a white square with the standard quiet zone of four modules. Inline SVG needs no
// image request, so the page's Content-Security-Policy is unchanged.
import qrcode from 'qrcode-generator';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4;

// An <svg role="img"> of the QR code of `text` (byte mode, error correction level M, the
// smallest version that fits), labelled `label` for screen readers.
export function qrSvg(text, label, attrs = {}) {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const n = code.getModuleCount();
  const size = n + 2 * QUIET;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (code.isDark(r, c)) d += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
  }
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({ viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-label': label, 'shape-rendering': 'crispEdges', 'data-modules': n, ...attrs })) {
    svg.setAttribute(k, String(v));
  }
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', d);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
