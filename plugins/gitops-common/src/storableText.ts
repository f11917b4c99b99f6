import type { GitOpsResource } from './model';

/** NUL, and UTF-16 surrogates without their pair: text PostgreSQL (and JSON parsers) refuse. */
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every NUL and lone surrogate replaced by U+FFFD; all else untouched. @public */
export function toStorableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** A JSON value with {@link toStorableText} applied to every string, keys included. @public */
export function toStorableJson<T>(value: T): T {
  if (typeof value === 'string') {
    return toStorableText(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map(toStorableJson) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        toStorableText(key),
        toStorableJson(item),
      ]),
    ) as T;
  }
  return value;
}

const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/**
 * A repository URL without credentials: http(s) URLs lose their userinfo
 * (`https://user:token@host` → `https://host`); other schemes keep the user name, which
 * selects an account (`ssh://git@host`), and lose the password.
 * @public
 */
export function withoutUserinfo(url: string): string {
  return url.replace(
    URL_USERINFO,
    (_match, scheme: string, userinfo: string) => {
      if (/^https?:\/\/$/i.test(scheme)) {
        return scheme;
      }
      const user = userinfo.split(':')[0];
      return user ? `${scheme}${user}@` : scheme;
    },
  );
}

/** A resource as it may be stored and shown: storable text, no credentials in its source URL. @public */
export function toStorableResource(resource: GitOpsResource): GitOpsResource {
  const storable = toStorableJson(resource);
  const url = storable.source.url;
  return url === null
    ? storable
    : {
        ...storable,
        source: { ...storable.source, url: withoutUserinfo(url) },
      };
}
