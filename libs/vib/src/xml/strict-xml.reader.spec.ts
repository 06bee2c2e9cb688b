import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childText, readXml, XmlSyntaxError } from './strict-xml.reader';

describe('readXml', () => {
  it('reads elements, attributes, entities, character references and CDATA', () => {
    const root = readXml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><vib version='5.0' a="x &amp; &quot;y&quot;">` +
        `<name>ups&lt;mon&gt; &#65;&#x42;</name><d><![CDATA[<raw & text>]]></d><e/></vib>\n`,
    );
    assert.equal(root.name, 'vib');
    assert.deepEqual(root.attributes, { version: '5.0', a: 'x & "y"' });
    assert.equal(childText(root, 'name'), 'ups<mon> AB');
    assert.equal(childText(root, 'd'), '<raw & text>');
    assert.equal(root.children[2]?.name, 'e');
  });

  const refused: Array<[string, string, RegExp]> = [
    ['mismatched tags', '<a><b></a></b>', /does not match/],
    ['unclosed root', '<a><b></b>', /unexpected end/],
    ['unknown entity', '<a>&nbsp;</a>', /unknown entity/],
    ['bare ampersand', '<a>fish & chips</a>', /must start an entity/],
    ['DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', /DOCTYPE/],
    ['two roots', '<a/><b/>', /after the root/],
    ['text outside', 'junk<a/>', /expected the root/],
    ['unquoted attribute', '<a b=c/>', /quoted/],
    ['duplicate attribute', '<a b="1" b="2"/>', /duplicate/],
    ['invalid char ref', '<a>&#0;</a>', /character reference/],
    ['empty', '', /expected the root/],
  ];
  for (const [what, xml, message] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => readXml(xml),
        (err: unknown) => err instanceof XmlSyntaxError && message.test(err.message),
      );
    });
  }

  it('caps nesting depth', () => {
    assert.throws(() => readXml(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`), /nested deeper than 64/);
  });

  it('reports line and column', () => {
    try {
      readXml('<a>\n  <b>\n</a>');
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof XmlSyntaxError);
      assert.equal(err.line, 3);
    }
  });
});
