// document.title: the route's name from the shell, unless a page header names the page itself (a page header is
// more precise: an order number, a host name). Effects of children run before their parents', so a plain "last
// writer wins" would let the shell overwrite the page: the two sources are kept apart here.
let routeTitle = '';
const pageTitles: { id: number; title: string }[] = [];
let nextId = 1;

function apply() {
  const title = pageTitles.at(-1)?.title ?? routeTitle;
  document.title = title ? `${title} · Derp` : 'Derp';
}

export function setRouteTitle(title: string) {
  routeTitle = title;
  apply();
}

/** Claims the title for a page; the returned function gives it back (on unmount). */
export function claimPageTitle(title: string): () => void {
  const entry = { id: nextId++, title };
  pageTitles.push(entry);
  apply();
  return () => {
    const index = pageTitles.findIndex((e) => e.id === entry.id);
    if (index >= 0) pageTitles.splice(index, 1);
    apply();
  };
}
