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

  it.each([
    // Filler words go first.
    ['list_core_v1_pod_for_all_namespaces_with_watch_and_some_more_words', 'list_core_v1_pod_all_namespaces_watch_some_more_words'],
    // Then the longest middle words are clipped after their first syllable, always the same way.
    ['list_namespaced_horizontal_pod_autoscaler_status_for_all_namespaces_with_watch', 'list_namesp_horiz_pod_autoscaler_status_all_namespaces_watch'],
    // Then common abbreviations.
    [
      'magic_network_monitoring_configuration_update_an_entire_account_configuration',
      'magic_network_monitoring_config_update_entire_account_config',
    ],
    ['delete_admissionregistration_v1_collection_validating_admission_policy_binding', 'delete_admiss_v1_collection_validating_admission_policy_binding'],
    ['watch_admissionregistration_v1alpha1_mutating_admission_policy_binding_list', 'watch_admiss_v1alpha1_mutating_admission_policy_binding_list'],
  ])('shortens %s meaningfully', (long, want) => {
    const fitted = fitToolName(long, 'GET /x');
    expect(fitted).toBe(want);
    expect(fitted).toMatch(toolNamePattern);
  });

  it('keeps the first word and the tail when nothing else is left to cut', () => {
    const fitted = fitToolName(['get', ...Array.from({ length: 20 }, (_, index) => `w${index}`), 'tail'].join('_'), 'GET /x');
    expect(fitted.length).toBeLessThanOrEqual(64);
    expect(fitted.startsWith('get_')).toBe(true);
    expect(fitted.endsWith('_tail')).toBe(true);
  });

  it('is deterministic and never longer than 64', () => {
    const long = 'x'.repeat(100);
    expect(fitToolName(long, 'GET /a')).toBe(fitToolName(long, 'GET /a'));
    expect(fitToolName(long, 'GET /a').length).toBeLessThanOrEqual(64);
  });
});

describe('resolveToolNames', () => {
  const shuffle = <T>(items: T[], seed: number): T[] => {
    const copy = [...items];
    let state = seed;
    for (let index = copy.length - 1; index > 0; index--) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const other = state % (index + 1);
      [copy[index], copy[other]] = [copy[other]!, copy[index]!];
    }
    return copy;
  };

  it('leaves unique names alone', () => {
    expect(resolveToolNames([{ key: 'GET /a', name: 'list_a' }, { key: 'GET /b', name: 'list_b' }])).toStrictEqual(
      new Map([
        ['GET /a', 'list_a'],
        ['GET /b', 'list_b'],
      ]),
    );
  });

  it('tells colliding names apart by method first', () => {
    const resolved = resolveToolNames([
      { key: 'GET /users', name: 'users' },
      { key: 'POST /users', name: 'users' },
    ]);
    expect(resolved).toStrictEqual(
      new Map([
        ['GET /users', 'users_get'],
        ['POST /users', 'users_post'],
      ]),
    );
  });

  it('then by the last path segments the name does not already say', () => {
    const resolved = resolveToolNames([
      { key: 'GET /pets/{petId}', name: 'get_pet' },
      { key: 'GET /pets/{petId}/owner', name: 'get_pet' },
      { key: 'GET /pets/{petId}/vet', name: 'get_pet' },
    ]);
    expect([...resolved.values()]).toStrictEqual(['get_pet_by_id', 'get_pet_owner', 'get_pet_vet']);
  });

  it('falls back to a hash of METHOD /path when nothing readable tells them apart', () => {
    const resolved = resolveToolNames([
      { key: 'GET /a', name: 'thing' },
      { key: 'GET /a/', name: 'thing' },
    ]);
    const names = [...resolved.values()];
    for (const name of names) expect(name).toMatch(/^thing_[0-9a-f]{6}$/);
    expect(new Set(names).size).toBe(2);
  });

  it('treats names that differ only in case as a collision', () => {
    const resolved = resolveToolNames([
      { key: 'GET /Items', name: 'Items' },
      { key: 'POST /items', name: 'items' },
    ]);
    expect(new Set([...resolved.values()].map((name) => name.toLowerCase())).size).toBe(2);
  });

  it('never lands a suffixed name on another name', () => {
    const resolved = resolveToolNames([
      { key: 'GET /users', name: 'users' },
      { key: 'POST /users', name: 'users' },
      { key: 'GET /other', name: 'users_get' },
    ]);
    const names = [...resolved.values()];
    expect(new Set(names).size).toBe(3);
    expect(resolved.get('GET /other')).toBe('users_get');
  });

  it('does not depend on the order of operations', () => {
    const entries = [
      { key: 'GET /a', name: 'get_thing' },
      { key: 'GET /b', name: 'get_thing' },
      { key: 'POST /b', name: 'get_thing' },
      { key: 'GET /c', name: 'other' },
      { key: 'GET /users', name: 'users' },
      { key: 'POST /users', name: 'users' },
      { key: 'GET /x', name: 'users_get' },
      { key: 'GET /p/{id}', name: 'p' },
      { key: 'GET /p/{id}/q', name: 'p' },
    ];
    const reference = resolveToolNames(entries);
    for (let seed = 1; seed <= 20; seed++) expect(resolveToolNames(shuffle(entries, seed))).toStrictEqual(reference);
    const names = [...reference.values()];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(toolNamePattern);
  });

  it('keeps suffixed names within 64 characters', () => {
    const long = 'word_'.repeat(12) + 'end';
    const resolved = resolveToolNames([
      { key: 'GET /a', name: long },
      { key: 'POST /a', name: long },
    ]);
    for (const name of resolved.values()) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).toMatch(/_(get|post)$/);
    }
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
