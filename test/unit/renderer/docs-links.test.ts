import { describe, expect, it } from 'vitest';
import { docsUrl } from '../../../renderer/src/components/layout/docs-links';

describe('help links to the local manuals', () => {
  it('points the web console at /docs/<lang>/README.md on its own origin', () => {
    expect(docsUrl('web', 'zh-CN', 'http://127.0.0.1:8686/#/support?operation=op_1234567890')).toBe('http://127.0.0.1:8686/docs/zh-CN/README.md');
    expect(docsUrl('web', 'en', 'http://127.0.0.1:40123/')).toBe('http://127.0.0.1:40123/docs/en/README.md');
  });

  it('points Electron at the docs folder next to dist/ as a file: URL', () => {
    expect(docsUrl('electron', 'en', 'file:///opt/medai/resources/app/dist/renderer/index.html#/dashboard')).toBe(
      'file:///opt/medai/resources/app/docs/en/README.md',
    );
  });
});
