import { describe, expect, it } from 'vitest';
import { HOST_CHECK_IDS, HostCheckReport, HostCheckRequest, selectHostChecks, worstResult } from '../../../electron/core/contract';
import { proxyEnv } from '../../../electron/core/host/checks/airgap-checks';
import { HOST_CHECKS } from '../../../electron/core/host/check-registry';
import { closeSources } from '../../../electron/core/host/collect-facts';
import { cidrOverlaps, networkOf, parseCidr, routeHexToIp } from '../../../electron/core/host/ipv4-cidr';
import { renderReportHtml } from '../../../electron/core/host/report-html';
import { diskNeeds, publishedPorts, requirementsFrom, DEFAULT_REQUIREMENTS } from '../../../electron/core/host/requirements';
import { healthyFacts, runCheck } from './host-facts';

describe('registry and request', () => {
  it('every contract id has exactly one check, in contract order', () => {
    expect(HOST_CHECKS.map((c) => c.id)).toEqual([...HOST_CHECK_IDS]);
  });

  it('every non-pass outcome on the sample facts carries a remedy in both languages', () => {
    const f = healthyFacts();
    f.system!.cpus = 1;
    f.system!.memTotalBytes = 1;
    for (const c of HOST_CHECKS) {
      const o = c.run(f);
      if (o.result !== 'pass') expect(o.remedy?.['zh-CN'] && o.remedy.en, c.id).toBeTruthy();
      expect(o.message['zh-CN'] && o.message.en, c.id).toBeTruthy();
    }
  });

  it('--only takes ids and categories; unknown names are refused with the list of known ones', () => {
    expect(selectHostChecks(['docker.ports', 'gpu'])).toEqual(['docker.ports', 'gpu.nvidia', 'gpu.driver', 'gpu.memory', 'gpu.ecc', 'gpu.persistence', 'gpu.temperature', 'gpu.mig', 'gpu.container-runtime', 'gpu.smoke']);
    const bad = HostCheckRequest.safeParse({ only: ['docker.prots'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/unknown check "docker.prots"; known: system, disk/);
    expect(HostCheckRequest.safeParse({ ports: [0] }).success).toBe(false);
  });

  it('collects only the fact sources the chosen checks need (and what those depend on)', () => {
    expect(closeSources(['network'])).toEqual(['network']);
    expect(closeSources(['smoke'])).toEqual(['docker', 'gpu', 'smoke']);
    expect(closeSources(['disk'])).toEqual(['disk', 'docker']);
  });

  it('the verdict is the worst result; an error outranks a fail', () => {
    expect(worstResult(['pass', 'warn', 'pass'])).toBe('warn');
    expect(worstResult(['pass', 'fail', 'error'])).toBe('error');
    expect(worstResult([])).toBe('pass');
  });
});

describe('requirements from a bundle', () => {
  it('finds published host ports in compose short and long syntax', () => {
    const compose = `services:
  service:
    image: vendor/medical-ai-service:1.4.0
    ports: ["\${MEDAI_BIND_ADDRESS:?the installer sets the bind address}:\${MEDAI_HTTP_PORT:-8000}:8000", "127.0.0.1:9090:9090/tcp"]
  console:
    ports:
      - target: 80
        published: 8443
  db:
    ports: ["5432"]
`;
    expect(publishedPorts(compose)).toEqual([8000, 8443, 9090]);
    expect(publishedPorts('services: [')).toEqual([]);
  });

  it('sizes come from the manifest: images unpacked + models + data estimate', () => {
    const r = requirementsFrom(
      {
        schemaVersion: 1,
        bundleVersion: '1.4.0',
        stackVersion: '1.4.0',
        minUpgradeFrom: '1.0.0',
        createdAt: '2026-11-01T00:00:00Z',
        releaseNotes: { 'zh-CN': '说明', en: 'notes' },
        compose: { file: 'compose.yaml', content: 'services:\n  medical-ai-service:\n    ports: ["8000:8000"]\n' },
        envSchema: [],
        images: [
          { service: 'medical-ai-service', ref: 'vendor/medical-ai-service:1.4.0', id: `sha256:${'a'.repeat(64)}`, file: 'images/svc.tar', compression: 'none', sha256: 'b'.repeat(64), size: 10, unpackedSize: 3 * 1024 ** 3 },
          { service: 'postgres', ref: 'vendor/postgres:15', id: `sha256:${'c'.repeat(64)}`, file: 'images/pg.tar', compression: 'none', sha256: 'd'.repeat(64), size: 10, unpackedSize: 1024 ** 3 },
        ],
        models: [{ name: 'embed', file: 'models/embed.onnx', sha256: 'e'.repeat(64), size: 2 * 1024 ** 3 }],
      } as never,
      '1.4.0',
    );
    expect(r).toMatchObject({ source: 'imported-bundle', ports: [8000], imagesBytes: 4 * 1024 ** 3, volumesBytes: 22 * 1024 ** 3, serviceImage: 'vendor/medical-ai-service:1.4.0' });
    expect(diskNeeds(r, true)).toEqual({ dockerRoot: (4 + 22 * 3) * 1024 ** 3, dataDir: (4 + 22 * 3) * 1024 ** 3 });
    expect(diskNeeds(DEFAULT_REQUIREMENTS, false)).toEqual({ dockerRoot: 32 * 1024 ** 3, dataDir: 40 * 1024 ** 3 });
  });
});

describe('IPv4 arithmetic', () => {
  it('parses, overlaps and converts route entries', () => {
    expect(cidrOverlaps(parseCidr('172.16.0.0/12')!, parseCidr('172.17.0.0/16')!)).toBe(true);
    expect(cidrOverlaps(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false);
    expect(parseCidr('300.1.1.1/8')).toBeNull();
    expect(networkOf('192.168.10.7', '255.255.255.0')).toBe('192.168.10.0/24');
    expect(routeHexToIp('000200C0')).toBe('192.0.2.0');
  });
});

describe('air-gap checks', () => {
  it('proxy without NO_PROXY for localhost warns; credentials in proxy URLs are masked', () => {
    const f = healthyFacts();
    f.proxy = { env: proxyEnv({ HTTPS_PROXY: 'http://user:secret@proxy.hospital:3128' }), docker: null };
    expect(f.proxy.env.HTTPS_PROXY).toBe('http://***@proxy.hospital:3128');
    expect(runCheck('airgap.proxy', f).result).toBe('warn');
    f.proxy = { env: proxyEnv({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,127.0.0.1,.hospital' }), docker: null };
    expect(runCheck('airgap.proxy', f).result).toBe('pass');
  });

  it('images: no bundle yet warns; missing images are named', () => {
    const f = healthyFacts();
    expect(runCheck('airgap.images', f)).toMatchObject({ result: 'warn', measuredText: 'no bundle imported' });
    f.requirements = { ...f.requirements, source: 'imported-bundle', bundleVersion: '1.4.0', images: [{ ref: 'vendor/a:1', bytes: 1 }, { ref: 'vendor/b:1', bytes: 1 }] };
    if (f.docker?.ok) f.docker.value.images = { 'vendor/a:1': true, 'vendor/b:1': false };
    expect(runCheck('airgap.images', f)).toMatchObject({ result: 'warn', measured: 1, message: { en: '1 image(s) missing: vendor/b:1.' } });
  });
});

describe('printable report', () => {
  it('is self-contained, escapes measured text, and groups by category', () => {
    const f = healthyFacts();
    const checks = HOST_CHECKS.slice(0, 3).map((c) => ({ id: c.id, category: c.category, title: c.title, ...c.run(f) }));
    checks[0]!.measuredText = '<script>alert(1)</script>';
    const report = HostCheckReport.parse({
      runId: 'hc_0123456789abcdef',
      operationId: null,
      startedAt: '2026-11-29T07:00:00.000Z',
      finishedAt: '2026-11-29T07:00:01.000Z',
      durationMs: 812,
      hostname: 'ris-ai-01',
      worst: 'pass',
      counts: { pass: 3, warn: 0, fail: 0, error: 0 },
      only: null,
      requirements: DEFAULT_REQUIREMENTS,
      checks,
    });
    const html = renderReportHtml(report, 'zh-CN');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html).toContain('主机预检报告');
    expect(html).toContain('system.os');
    expect(renderReportHtml(report, 'en')).toContain('Host preflight report');
  });
});
