/**
 * A tiny XML reader, enough for VIB descriptors and bundle metadata: elements, attributes,
 * text, comments, CDATA and the five predefined entities. No DTDs, no namespaces processing.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlParseError extends Error {}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag =
    /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const current = stack[stack.length - 1];
    if (!current) throw new XmlParseError('unbalanced document');
    current.text += decodeEntities(source.slice(last, m.index));
    last = tag.lastIndex;
    if (m[1] !== undefined) current.text += m[1];
    else if (m[2] !== undefined) {
      if (current.name !== m[2]) throw new XmlParseError(`unexpected </${m[2]}> inside <${current.name}>`);
      current.text = current.text.trim();
      stack.pop();
    } else if (m[3] !== undefined) {
      const attributes: Record<string, string> = {};
      for (const a of (m[4] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes[a[1] ?? ''] = decodeEntities(a[2] ?? a[3] ?? '');
      }
      const element: XmlElement = { name: m[3], attributes, children: [], text: '' };
      current.children.push(element);
      if (m[5] !== '/') stack.push(element);
    }
  }
  if (stack.length !== 1) throw new XmlParseError(`unclosed element <${stack[stack.length - 1]?.name ?? '?'}>`);
  const top = root.children[0];
  if (!top) throw new XmlParseError('empty document');
  return top;
}

export function childOf(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childrenOf(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

export function textOf(element: XmlElement | undefined, name: string): string | undefined {
  return childOf(element, name)?.text;
}
