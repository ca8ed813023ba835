import { describe, expect, it } from 'vitest';
import { analyze, buildSearchIndex, searchTools, splitWords, stem, type SearchDocument } from '../../templates/runtime/tool-search.js';

const doc = (name: string, title: string, more: Partial<SearchDocument> = {}): SearchDocument => ({
  name,
  title,
  description: title,
  tags: [],
  pathWords: [],
  parameters: [],
  ...more,
});

const documents: SearchDocument[] = [
  doc('issues_list_for_repo', 'List repository issues', { tags: ['issues'], pathWords: ['repos', 'issues'], parameters: ['owner', 'repo', 'state'] }),
  doc('issues_list_for_org', 'List organization issues assigned to the authenticated user', { tags: ['issues'], pathWords: ['orgs', 'issues'], parameters: ['org'] }),
  doc('issues_create', 'Create an issue', { tags: ['issues'], pathWords: ['repos', 'issues'], parameters: ['owner', 'repo', 'title', 'body'] }),
  doc('repos_get', 'Get a repository', { tags: ['repos'], pathWords: ['repos'], parameters: ['owner', 'repo'] }),
  doc('repos_delete', 'Delete a repository', { tags: ['repos'], pathWords: ['repos'], parameters: ['owner', 'repo'] }),
  doc('listPetsByOwner', 'List pets', { pathWords: ['pets'], parameters: ['ownerId'] }),
];

describe('words and stems', () => {
  it('splits snake_case, camelCase, acronyms and digits', () => {
    expect(splitWords('issues_list_for_repo')).toEqual(['issues', 'list', 'for', 'repo']);
    expect(splitWords('getHTTPServerV2Config')).toEqual(['get', 'http', 'server', 'v', '2', 'config']);
    expect(splitWords('DNS-records/{zone_id}')).toEqual(['dns', 'records', 'zone', 'id']);
  });

  it('stems inflections of a word to one stem', () => {
    for (const group of [
      ['issue', 'issues'],
      ['repository', 'repositories'],
      ['deploy', 'deploying', 'deployed', 'deploys'],
      ['connect', 'connected', 'connecting', 'connection', 'connections'],
      ['generalization', 'generalize'],
      ['hop', 'hopping'],
      ['status', 'status'],
    ]) {
      expect(new Set(group.map(stem)), group.join(', ')).toHaveProperty('size', 1);
    }
    expect(stem('caresses')).toBe('caress');
    expect(stem('ponies')).toBe('poni');
    expect(stem('relational')).toBe('relat');
    expect(stem('v2')).toBe('v2');
  });

  it('drops stop words', () => {
    expect(analyze('list the issues in a repo')).toEqual(['list', 'issu', 'repo']);
  });
});

describe('searchTools', () => {
  const index = buildSearchIndex(documents);

  it('finds a tool from a natural-language request', () => {
    expect(searchTools(index, 'list issues in a repo', 3)[0]!.name).toBe('issues_list_for_repo');
    expect(searchTools(index, 'list the issues of an organisation', 3)[0]!.name).toBe('issues_list_for_org');
    expect(searchTools(index, 'open a new issue', 3)[0]!.name).toBe('issues_create');
    expect(searchTools(index, 'remove a repository', 3)[0]!.name).toBe('repos_delete');
    expect(searchTools(index, 'pets of an owner', 3)[0]!.name).toBe('listPetsByOwner');
  });

  it('ranks best first, breaks ties by name, honours the limit and leaves out tools that match nothing', () => {
    const hits = searchTools(index, 'repository', 10);
    expect(hits.length).toBeGreaterThan(1);
    for (let i = 1; i < hits.length; i++) {
      const [a, b] = [hits[i - 1]!, hits[i]!];
      expect(a.score > b.score || (a.score === b.score && a.name < b.name)).toBe(true);
    }
    expect(hits.map((hit) => hit.name)).not.toContain('listPetsByOwner');
    expect(searchTools(index, 'repository', 1)).toHaveLength(1);
    expect(searchTools(index, 'zebra quantum', 5)).toEqual([]);
    expect(searchTools(index, '', 5)).toEqual([]);
  });

  it('matches the start of a longer word the query does not spell out', () => {
    expect(searchTools(index, 'organiz', 1)[0]!.name).toBe('issues_list_for_org');
  });

  it('builds the same JSON index from the same documents, and searches it after a JSON round trip', () => {
    const text = JSON.stringify(buildSearchIndex(documents));
    expect(JSON.stringify(buildSearchIndex(documents))).toBe(text);
    const parsed = JSON.parse(text) as typeof index;
    expect(searchTools(parsed, 'list issues in a repo', 3)).toEqual(searchTools(index, 'list issues in a repo', 3));
  });

  it('is not confused by words that are also Object.prototype keys', () => {
    const odd = buildSearchIndex([doc('constructor_get', 'Get the constructor'), doc('proto_list', 'List __proto__ values')]);
    expect(searchTools(odd, 'constructor', 1)[0]!.name).toBe('constructor_get');
    expect(searchTools(odd, 'hasOwnProperty toString', 1)).toEqual([]);
  });
});

describe('searchTools with include', () => {
  it('leaves out the tools the filter refuses', () => {
    const index = buildSearchIndex(documents);
    const hits = searchTools(index, 'list issues in a repo', 10, { include: (name) => name !== 'issues_list_for_repo' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((hit) => hit.name)).not.toContain('issues_list_for_repo');
  });
});
