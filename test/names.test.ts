import { describe, expect, it } from 'vitest';
import { fitToolName, resolveToolNames, toArgumentName, toWords, toolNamePattern } from '../src/model/names.js';

describe('toWords', () => {
  it.each([
    ['listPets', ['list', 'pets']],
    ['repos/list-for-org', ['repos', 'list', 'for', 'org']],
    ['GetUserByID', ['get', 'user', 'by', 'id']],
    ['HTTPServerList', ['http', 'server', 'list']],
    ['find pet by id', ['find', 'pet', 'by', 'id']],
    ['post_oauth2_token#refresh', ['post', 'oauth2', 'token', 'refresh']],
    ['créerFacture', ['creer', 'facture']],
  ])('%s', (given, want) => {
    expect(toWords(given)).toStrictEqual(want);
  });
});

describe('fitToolName', () => {
  it('keeps names of up to 64 characters', () => {
    expect(fitToolName('a'.repeat(64), 'GET /a')).toBe('a'.repeat(64));
  });

  it('shortens long names at a word boundary with a stable hash', () => {
    const long = 'list_namespaced_horizontal_pod_autoscaler_status_for_all_namespaces_with_watch';
    const fitted = fitToolName(long, 'GET /apis/autoscaling');
    expect(fitted).toMatch(toolNamePattern);
    expect(fitted.length).toBeLessThanOrEqual(64);
    expect(fitted).toBe(fitToolName(long, 'GET /apis/autoscaling'));
    expect(fitted).not.toBe(fitToolName(long, 'GET /apis/other'));
    expect(fitted.startsWith('list_namespaced_horizontal_pod_autoscaler_status_')).toBe(true);
  });
});

describe('resolveToolNames', () => {
  it('suffixes every colliding name, whatever the order', () => {
    const entries = [
      { key: 'GET /a', name: 'get_thing' },
      { key: 'GET /b', name: 'get_thing' },
      { key: 'GET /c', name: 'other' },
    ];
    const forward = resolveToolNames(entries);
    const backward = resolveToolNames([...entries].reverse());
    expect(forward).toStrictEqual(backward);
    expect(forward.get('GET /c')).toBe('other');
    expect(forward.get('GET /a')).toMatch(/^get_thing_[0-9a-f]{6}$/);
    expect(forward.get('GET /a')).not.toBe(forward.get('GET /b'));
  });
});

describe('toArgumentName', () => {
  it.each([
    ['petId', 'petId'],
    ['X-Request-Id', 'X-Request-Id'],
    ['filter[status]', 'filter_status'],
    ['$top', 'top'],
    ['***', 'value'],
  ])('%s → %s', (given, want) => {
    expect(toArgumentName(given)).toBe(want);
  });
});
