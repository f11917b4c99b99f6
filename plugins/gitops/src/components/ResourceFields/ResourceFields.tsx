import { Link } from '@backstage/core-components';
import { Tooltip, Typography } from '@material-ui/core';
import { commitUrl, parseRevision, safeHttpUrl } from '../../lib/links';
import { exactTime, relativeTime } from '../../lib/time';

/** host/owner/repo of a repository URL, for narrow table cells. */
function shortRepositoryName(url: URL): string {
  return `${url.host}${url.pathname}`.replace(/\.git$/, '').replace(/\/$/, '');
}

/** The source repository: a link for http(s) URLs, plain text for anything else. */
export const SourceLink = ({
  source,
}: {
  source: { url: string | null; path: string | null; chart: string | null };
}) => {
  const detail = [source.path, source.chart].filter(Boolean).join(' · ');
  if (!source.url) {
    return (
      <Typography variant="body2" color="textSecondary">
        {detail || '—'}
      </Typography>
    );
  }
  const url = safeHttpUrl(source.url);
  return (
    <>
      {url ? (
        <Tooltip title={source.url}>
          <Link to={url.toString()} target="_blank" rel="noopener noreferrer">
            {shortRepositoryName(url)}
          </Link>
        </Tooltip>
      ) : (
        <Typography variant="body2" component="span">
          {source.url}
        </Typography>
      )}
      {detail && (
        <Typography variant="caption" color="textSecondary" display="block">
          {detail}
        </Typography>
      )}
    </>
  );
};

/** A revision, shortened; linked to its commit for GitHub/GitLab sources. */
export const RevisionLink = ({
  revision,
  sourceUrl,
}: {
  revision: string | null;
  sourceUrl: string | null;
}) => {
  if (!revision) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  const { display } = parseRevision(revision);
  const href = commitUrl(sourceUrl, revision);
  const text = (
    <Typography
      variant="body2"
      component="span"
      style={{ fontFamily: 'monospace' }}
    >
      {display}
    </Typography>
  );
  return (
    <Tooltip title={revision}>
      {href ? (
        <Link to={href} target="_blank" rel="noopener noreferrer">
          {text}
        </Link>
      ) : (
        <span>{text}</span>
      )}
    </Tooltip>
  );
};

/** Relative time, with the exact instant on hover. */
export const LastSync = ({ at }: { at: string | null }) => {
  if (!at) {
    return (
      <Typography variant="body2" color="textSecondary">
        never
      </Typography>
    );
  }
  const exact = exactTime(at);
  return (
    <Tooltip title={exact}>
      <time dateTime={at}>{relativeTime(at)}</time>
    </Tooltip>
  );
};
