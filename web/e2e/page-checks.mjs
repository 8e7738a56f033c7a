// What the every-page browser check (pages.test.mjs) and the journeys look for on a rendered page. Not a test file.
//
// User data is marked in the markup with the `data-user` attribute (on the element or an ancestor): e-mails, user
// names, host names, serial codes, node keys, IPs, memos, remarks — text the portal shows as it was typed or issued,
// in whatever language. Text inside it is not checked for language. Machine text in `code`, `pre`, `kbd` and `samp`
// (commands, policies, keys) is not either, nor an element whose own `lang` differs from the page's (the language
// switch written in the other language: `<button lang="en">English</button>`).
import { createRequire } from 'node:module';

/** English words the Chinese UI may show: proper names, protocols and units. Keep this list small. */
export const allowedInChinese = [
  'Derp', 'DERP', 'Tailscale', 'IP', 'IPv4', 'IPv6', 'SSH', 'CPU', 'KB', 'MB', 'GB', 'TB', 'ms', 'Mbps', 'API', 'URL', 'QR', 'ID', 'CSV',
  'Alipay', 'WeChat', 'USDT', 'DNS', 'HTTP', 'HTTPS', 'TLS', 'STUN', 'JSON', 'HuJSON', 'Docker', 'SHA256', 'QQ', 'Headscale', 'tailnet', 'PNG', 'JPEG', 'KiB', 'MiB', 'GiB', 'TiB',
];

/** axe-core rules a page must pass (axe's names). */
export const axeRules = [
  'label', 'color-contrast', 'button-name', 'link-name', 'select-name', 'html-has-lang', 'html-lang-valid', 'document-title',
  'input-button-name', 'image-alt', 'aria-required-attr', 'aria-valid-attr', 'aria-valid-attr-value', 'aria-allowed-attr',
];

export const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs in the page: horizontal overflow (with the elements that cause it), untranslated visible text, buttons that
 * cannot be seen, `<html lang>` and the title. Returns a list of findings, each `{ kind, detail }`.
 */
export function inspectInPage({ language, allowed }) {
  const findings = [];
  const describe = (el) => {
    if (!el || el.nodeType !== 1) return '?';
    const testId = el.closest('[data-testid]')?.getAttribute('data-testid');
    const classes = [...el.classList].slice(0, 2).map((c) => `.${c}`).join('');
    return `${el.tagName.toLowerCase()}${classes}${testId ? ` in [data-testid=${testId}]` : ''}`;
  };
  const snippet = (text) => (text.length > 70 ? `${text.slice(0, 67)}…` : text);
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };

  // Horizontal overflow: the document may not scroll sideways; the culprits are the outermost elements that reach past
  // the viewport and are not inside a container that clips or scrolls them.
  const limit = innerWidth + 1;
  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth > limit) {
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const overflowX = getComputedStyle(a).overflowX;
        if (overflowX !== 'visible' && a.getBoundingClientRect().right <= limit) return true;
      }
      return false;
    };
    const over = new Set([...document.body.querySelectorAll('*')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > limit && getComputedStyle(el).position !== 'fixed' && !clipped(el);
    }));
    const culprits = [...over].filter((el) => !over.has(el.parentElement))
      .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right).slice(0, 3)
      .map((el) => { const r = el.getBoundingClientRect(); return `${describe(el)} (right edge ${Math.round(r.right)} px, ${Math.round(r.width)} px wide)`; });
    findings.push({ kind: 'overflow', detail: `page is ${scrollWidth} px wide in a ${innerWidth} px viewport; widest: ${culprits.join('; ') || 'unknown'}` });
  }

  // Untranslated text.
  const page = language.startsWith('zh') ? 'zh' : 'en';
  const cjk = /[\u2E80-\u2FFF\u3000-\u303F\u3040-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/;
  const allowedWords = new Set(allowed);
  const exempt = (el) => {
    if (el.closest('[data-user], code, pre, kbd, samp, script, style, noscript, svg title')) return true;
    const tagged = el.closest('[lang]');
    return tagged && tagged !== document.documentElement && !tagged.lang.startsWith(page);
  };
  const wrong = (text) => {
    if (page === 'en') return cjk.test(text) ? text.match(cjk)[0] : null;
    const words = (text.match(/[A-Za-z][A-Za-z'’]*/g) ?? []).filter((w) => w.length > 1 && !allowedWords.has(w));
    return words.length ? words.join(' ') : null;
  };
  const untranslated = new Map();
  const note = (text, el, where) => {
    const offending = wrong(text);
    if (!offending) return;
    const key = `${snippet(text)}|${where}`;
    if (!untranslated.has(key)) untranslated.set(key, `"${snippet(text)}" (${where}: ${describe(el)})`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || exempt(el)) continue;
    if (el.tagName === 'OPTION') {
      const select = el.closest('select');
      if (select && visible(select)) note(text, select, 'option');
      continue;
    }
    const range = document.createRange();
    range.selectNodeContents(node);
    if (!range.getClientRects().length || !visible(el)) continue;
    note(text, el, 'text');
  }
  for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
    if (exempt(el) || !visible(el)) continue;
    for (const attribute of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = el.getAttribute(attribute)?.trim();
      if (value) note(value, el, attribute);
    }
  }
  if (!exempt(document.documentElement)) note(document.title, document.documentElement, 'document.title');
  if (untranslated.size) {
    findings.push({
      kind: page === 'zh' ? 'english-in-chinese-ui' : 'chinese-in-english-ui',
      detail: [...untranslated.values()].slice(0, 12).join('; ') + (untranslated.size > 12 ? `; … ${untranslated.size - 12} more` : ''),
    });
  }

  // Every button can be seen: a size, not transparent, and its text colour differs from what is behind it.
  const rgba = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const background = (el) => { // null when an image or gradient is in the way (cannot be computed here)
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.backgroundImage && style.backgroundImage !== 'none') return null;
      const colour = rgba(style.backgroundColor);
      if (colour && colour.a > 0) { layers.push(colour); if (colour.a >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const invisibleButtons = [];
  for (const el of document.body.querySelectorAll('button, [role=button], input[type=submit], input[type=button], a.button')) {
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none') continue;
    const name = snippet((el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim()) || describe(el);
    const r = el.getBoundingClientRect();
    let opacity = 1;
    for (let a = el; a; a = a.parentElement) opacity *= Number(getComputedStyle(a).opacity);
    if (style.visibility === 'hidden' || opacity < 0.2) { invisibleButtons.push(`"${name}" is hidden (opacity ${opacity.toFixed(2)})`); continue; }
    if (r.width < 4 || r.height < 4) { invisibleButtons.push(`"${name}" is ${Math.round(r.width)}×${Math.round(r.height)} px`); continue; }
    const text = rgba(style.color);
    const behind = background(el);
    if (!text || !behind) continue;
    const [l1, l2] = [luminance(over(text, behind)), luminance(behind)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < 1.5) invisibleButtons.push(`"${name}" (${describe(el)}): text ${style.color} on ${`rgb(${Math.round(behind.r)}, ${Math.round(behind.g)}, ${Math.round(behind.b)})`}, contrast ${ratio.toFixed(2)}`);
  }
  if (invisibleButtons.length) findings.push({ kind: 'invisible-button', detail: invisibleButtons.slice(0, 10).join('; ') });

  const lang = document.documentElement.lang || '';
  if (!lang.startsWith(page)) findings.push({ kind: 'html-lang', detail: `<html lang="${lang}"> in the ${language} UI` });
  if (!document.title.trim() || document.title.trim() === 'Derp') findings.push({ kind: 'title', detail: `document.title is "${document.title}" (no page name)` });
  return findings;
}

/** axe-core on the page, limited to `axeRules`; the findings name the rule, the count and the first few targets. */
export async function axeFindings(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: axeScript });
  const violations = await page.evaluate(async (rules) => {
    const result = await window.axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.any?.[0]?.message ? ` (${n.any[0].message})` : ''}`),
    }));
  }, axeRules);
  return violations.map((v) => ({
    kind: `axe:${v.id}`,
    detail: `${v.nodes.length} element(s): ${v.nodes.slice(0, 4).join('; ')}${v.nodes.length > 4 ? '; …' : ''}`,
  }));
}
