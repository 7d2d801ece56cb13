/**
 * The run an upload belongs to, read from the CI's environment variables when `steward report
 * junit` / `steward test` get no flags. Pure: the environment is a parameter.
 *
 * GitHub Actions, GitLab CI, Jenkins, Buildkite and CircleCI are recognised by their marker
 * variable (GITHUB_ACTIONS, GITLAB_CI, JENKINS_URL, BUILDKITE, CIRCLECI); the first one present
 * wins. Values that are empty strings count as absent. Pull-request builds report the source
 * branch, not the merge ref.
 */
export interface CiRun {
  provider: 'github' | 'gitlab' | 'jenkins' | 'buildkite' | 'circleci' | null;
  commit: string | null;
  branch: string | null;
  runId: string | null;
  runUrl: string | null;
  job: string | null;
  attempt: number | null;
}

type Env = Record<string, string | undefined>;

const v = (env: Env, ...names: string[]): string | null => {
  for (const n of names) {
    const x = env[n]?.trim();
    if (x) return x;
  }
  return null;
};

const int = (s: string | null, offset = 0): number | null => {
  if (s === null || !/^\d{1,6}$/.test(s)) return null;
  return Number(s) + offset;
};

export function ciRunFromEnv(env: Env): CiRun {
  if (v(env, 'GITHUB_ACTIONS')) {
    const server = v(env, 'GITHUB_SERVER_URL') ?? 'https://github.com';
    const repo = v(env, 'GITHUB_REPOSITORY');
    const runId = v(env, 'GITHUB_RUN_ID');
    return {
      provider: 'github',
      commit: v(env, 'GITHUB_SHA'),
      branch: v(env, 'GITHUB_HEAD_REF', 'GITHUB_REF_NAME'),
      runId,
      runUrl: repo && runId ? `${server}/${repo}/actions/runs/${runId}` : null,
      job: v(env, 'GITHUB_JOB'),
      attempt: int(v(env, 'GITHUB_RUN_ATTEMPT')),
    };
  }
  if (v(env, 'GITLAB_CI')) {
    return {
      provider: 'gitlab',
      commit: v(env, 'CI_COMMIT_SHA'),
      branch: v(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'CI_COMMIT_BRANCH', 'CI_COMMIT_REF_NAME'),
      runId: v(env, 'CI_PIPELINE_ID'),
      runUrl: v(env, 'CI_JOB_URL', 'CI_PIPELINE_URL'),
      job: v(env, 'CI_JOB_NAME'),
      attempt: null,
    };
  }
  if (v(env, 'JENKINS_URL')) {
    return {
      provider: 'jenkins',
      commit: v(env, 'GIT_COMMIT'),
      branch: v(env, 'CHANGE_BRANCH', 'BRANCH_NAME', 'GIT_BRANCH')?.replace(/^origin\//, '') ?? null,
      runId: v(env, 'BUILD_TAG', 'BUILD_ID', 'BUILD_NUMBER'),
      runUrl: v(env, 'BUILD_URL'),
      job: v(env, 'JOB_NAME'),
      attempt: null,
    };
  }
  if (v(env, 'BUILDKITE')) {
    return {
      provider: 'buildkite',
      commit: v(env, 'BUILDKITE_COMMIT'),
      branch: v(env, 'BUILDKITE_BRANCH'),
      runId: v(env, 'BUILDKITE_BUILD_ID'),
      runUrl: v(env, 'BUILDKITE_BUILD_URL'),
      job: v(env, 'BUILDKITE_STEP_KEY', 'BUILDKITE_LABEL'),
      // BUILDKITE_RETRY_COUNT counts retries from 0; an attempt number counts from 1.
      attempt: int(v(env, 'BUILDKITE_RETRY_COUNT'), 1),
    };
  }
  if (v(env, 'CIRCLECI')) {
    return {
      provider: 'circleci',
      commit: v(env, 'CIRCLE_SHA1'),
      branch: v(env, 'CIRCLE_BRANCH'),
      runId: v(env, 'CIRCLE_WORKFLOW_ID', 'CIRCLE_BUILD_NUM'),
      runUrl: v(env, 'CIRCLE_BUILD_URL'),
      job: v(env, 'CIRCLE_JOB'),
      attempt: null,
    };
  }
  return { provider: null, commit: null, branch: null, runId: null, runUrl: null, job: null, attempt: null };
}

/**
 * The checkout directory of the CI job, for making absolute test file paths relative (see
 * `normaliseRoot`): GITHUB_WORKSPACE, CI_PROJECT_DIR (GitLab), WORKSPACE (Jenkins),
 * BUILDKITE_BUILD_CHECKOUT_PATH, CIRCLE_WORKING_DIRECTORY (`~` expanded from HOME). Null when the
 * job's provider gives none or it is not absolute.
 */
export function checkoutRootFromEnv(env: Env): string | null {
  const dir = v(env, 'GITHUB_WORKSPACE', 'CI_PROJECT_DIR', 'WORKSPACE', 'BUILDKITE_BUILD_CHECKOUT_PATH', 'CIRCLE_WORKING_DIRECTORY');
  if (dir === null) return null;
  const home = v(env, 'HOME');
  const expanded = dir === '~' || dir.startsWith('~/') ? (home ? home + dir.slice(1) : null) : dir;
  return expanded !== null && /^(\/|[A-Za-z]:[\\/])/.test(expanded) ? expanded : null;
}
