import { toWords } from './names.js';
import { isSecretField } from './risk-fields.js';
import type { OperationModel, ParameterModel } from './types.js';

/** A header, query or cookie parameter that carries a credential, although the spec models it as an ordinary parameter. */
export type CredentialParameter = { parameter: ParameterModel; reason: string };

const credentialNames = new Set(['apikey', 'apisecret', 'apiticket', 'apitoken', 'authorization', 'accesskey', 'secretkey', 'authtoken', 'sessionid']);
const credentialDescription = /\b(?:api[ _-]?key|access[ _-]?token|secret|password|credential|bearer token|auth(?:entication|orization)? token)\b/i;

/**
 * The parameters of an operation that carry a credential (`apiKey`, `apiSecret`, `token`, `access_token`,
 * `password`, `Authorization`, ...), by name, `format: password` or description. The server fills them
 * from its environment instead of asking the model for them.
 */
export function proposeCredentialParameters(operation: OperationModel): readonly CredentialParameter[] {
  let proposed = proposals.get(operation);
  if (!proposed) proposals.set(operation, (proposed = proposeOnce(operation)));
  return proposed;
}

/** What was proposed for each operation: the catalog asks for every tool's input and for its upstream bindings. */
const proposals = new WeakMap<OperationModel, readonly CredentialParameter[]>();

function proposeOnce(operation: OperationModel): CredentialParameter[] {
  return operation.parameters.flatMap((parameter): CredentialParameter[] => {
    if (parameter.in === 'path') return [];
    const joined = toWords(parameter.name).join('');
    if (credentialNames.has(joined) || isSecretField(parameter.name)) return [{ parameter, reason: `named "${parameter.name}"` }];
    const schema = parameter.schema as { format?: unknown } | undefined;
    if (schema && typeof schema === 'object' && schema.format === 'password') return [{ parameter, reason: 'format: password' }];
    if (parameter.description && credentialDescription.test(parameter.description) && /\b(?:your|the)\b/i.test(parameter.description) && joined.length <= 24) {
      const match = credentialDescription.exec(parameter.description)![0];
      return [{ parameter, reason: `described as "${match}"` }];
    }
    return [];
  });
}
