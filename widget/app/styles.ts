/**
 * All of the widget's CSS, inside its shadow root: the page's styles never reach in, ours never
 * leak out. px only (a theme's html font-size must not scale us). The panel is a popover in the
 * top layer (main.tsx): the UA's [popover] inset, margin, border and padding are reset here. A
 * rule longer than a line is cut into `…` + `…` pieces; esbuild joins them, the bundle is unchanged.
 */
export const css =
  `
:host{all:initial!important}
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
.p{position:fixed;z-index:2147483647;inset:auto;bottom:var(--pb);right:var(--px);width:360px;height:auto;` +
  `max-height:min(640px,calc(100vh - var(--pb) - 16px));display:flex;flex-direction:column;
  margin:0;padding:0;border:0;background:#fff;color:#1f2328;border-radius:14px;` +
  `box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden;
  font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;animation:in .16s ease-out}
.p.left{right:auto;left:var(--px)}
@keyframes in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}
@media (prefers-reduced-motion:reduce){.p{animation:none}}
@media (max-width:480px){.p,.p.left{inset:0;width:100%;max-height:none;height:100%;border-radius:0}}
header{display:flex;align-items:center;justify-content:space-between;padding:14px 16px;background:var(--c);` +
  `color:var(--t)}
h2{font-weight:700;font-size:17px}
h3{font-weight:600;font-size:15px;margin:14px 0 6px}
.x{background:none;border:0;color:var(--t);font-size:22px;line-height:1;cursor:pointer;padding:4px 8px;` +
  `border-radius:6px}
main{padding:16px;overflow:auto;flex:1}
p{margin:0 0 12px}
label{display:block;margin:0 0 10px;font-weight:600;font-size:14px}
label.c{display:flex;gap:8px;align-items:flex-start;font-weight:400}
input[type=email],input[type=text],input[type=date],input[inputmode]{display:block;width:100%;margin-top:4px;` +
  `padding:10px 12px;border:1px solid #8c959f;border-radius:8px;background:#fff;font-weight:400;font-size:16px}
input[aria-invalid=true]{border-color:#cf222e}
button.pr,a.pr{display:block;width:100%;text-align:center;text-decoration:none;margin-top:8px;padding:11px 14px;` +
  `border:0;border-radius:8px;background:var(--c);color:var(--t);font-weight:600;cursor:pointer}
button.sc{display:block;width:100%;margin-top:8px;padding:10px 14px;border:1px solid #8c959f;border-radius:8px;` +
  `background:#fff;color:#1f2328;cursor:pointer}
button:disabled{opacity:.6;cursor:default}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.bal{font-size:30px;font-weight:700;overflow-wrap:anywhere}
.bal small{font-size:16px;font-weight:600}
.muted{color:#57606a;font-size:13px}
.tier span{display:inline-block;margin:4px 0;padding:2px 10px;border-radius:999px;font-size:13px;font-weight:700}
.err{background:#ffebe9;color:#82071e;border-radius:8px;padding:10px 12px;margin:0 0 12px}
ul{list-style:none}
li{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-bottom:1px solid #eaeef2}
.amt{font-weight:600;white-space:nowrap}
.pos{color:#116329}.neg{color:#82071e}
.tabs{display:flex;gap:4px;margin:14px 0 6px;border-bottom:1px solid #d0d7de}
.tabs button{flex:1;padding:8px 4px;border:0;border-bottom:3px solid transparent;background:none;color:#57606a;` +
  `font-weight:600;cursor:pointer}
.tabs button[aria-selected=true]{border-bottom-color:#1f2328;color:#1f2328}
button.mini{flex:none;align-self:center;padding:7px 10px;border:0;border-radius:8px;background:var(--c);` +
  `color:var(--t);font-weight:600;font-size:13px;cursor:pointer;white-space:nowrap}
button.mini:disabled{background:#eaeef2;color:#57606a;opacity:1}
.cost{font-weight:600;font-size:13px}
.fe{margin:-6px 0 10px;color:#82071e;font-size:13px}
.cp{margin:8px 0}
.code{margin:4px 0 8px;padding:10px;border:2px dashed #57606a;border-radius:8px;background:#f6f8fa;` +
  `font:700 18px/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:1px;text-align:center;` +
  `overflow-wrap:anywhere;user-select:all;-webkit-user-select:all}
.cp .muted{display:block;min-height:19px;margin:4px 0 0}
li.rw{justify-content:flex-start;align-items:center}
li.rw img{flex:none;width:56px;height:56px;object-fit:cover;border-radius:8px;background:#f6f8fa}
.rt{flex:1;min-width:0;display:flex;flex-direction:column;overflow-wrap:anywhere}
li.cl{display:block}
li.cl strong,li.cl span{display:block}
`
