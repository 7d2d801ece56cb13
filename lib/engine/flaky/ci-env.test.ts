import { describe, expect, it } from 'vitest';
import { checkoutRootFromEnv, ciRunFromEnv } from './ci-env';

describe('CI environment', () => {
  it('GitHub Actions, with a pull request reporting its source branch', () => {
    expect(ciRunFromEnv({ GITHUB_ACTIONS: 'true', GITHUB_SHA: 'abc', GITHUB_REF_NAME: '12/merge', GITHUB_HEAD_REF: 'fix-x', GITHUB_RUN_ID: '99', GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://github.com', GITHUB_JOB: 'test', GITHUB_RUN_ATTEMPT: '2' })).toEqual({
      provider: 'github', commit: 'abc', branch: 'fix-x', runId: '99', runUrl: 'https://github.com/o/r/actions/runs/99', job: 'test', attempt: 2,
    });
    expect(ciRunFromEnv({ GITHUB_ACTIONS: 'true', GITHUB_REF_NAME: 'main', GITHUB_HEAD_REF: '' }).branch).toBe('main');
  });
  it('GitLab, Jenkins, Buildkite (retry count from 0), CircleCI', () => {
    expect(ciRunFromEnv({ GITLAB_CI: 'true', CI_COMMIT_SHA: 's', CI_COMMIT_REF_NAME: 'dev', CI_PIPELINE_ID: '7', CI_JOB_URL: 'https://gl/j/1', CI_JOB_NAME: 'rspec 1/2' })).toMatchObject({ provider: 'gitlab', branch: 'dev', runId: '7', job: 'rspec 1/2', attempt: null });
    expect(ciRunFromEnv({ JENKINS_URL: 'http://j', GIT_COMMIT: 'c', GIT_BRANCH: 'origin/main', BUILD_TAG: 'jenkins-x-5', BUILD_URL: 'http://j/5', JOB_NAME: 'x' })).toMatchObject({ provider: 'jenkins', branch: 'main', runId: 'jenkins-x-5' });
    expect(ciRunFromEnv({ BUILDKITE: 'true', BUILDKITE_RETRY_COUNT: '0', BUILDKITE_LABEL: ':jest:' }).attempt).toBe(1);
    expect(ciRunFromEnv({ BUILDKITE: 'true', BUILDKITE_RETRY_COUNT: '2' }).attempt).toBe(3);
    expect(ciRunFromEnv({ CIRCLECI: 'true', CIRCLE_SHA1: 'q', CIRCLE_BRANCH: 'b', CIRCLE_WORKFLOW_ID: 'w', CIRCLE_JOB: 'j' })).toMatchObject({ provider: 'circleci', commit: 'q', runId: 'w' });
  });
  it('nothing recognised, and a non-numeric attempt, are nulls', () => {
    expect(ciRunFromEnv({ GITHUB_SHA: 'abc' }).provider).toBeNull();
    expect(ciRunFromEnv({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ATTEMPT: '1e3' }).attempt).toBeNull();
  });
});

describe('checkoutRootFromEnv', () => {
  it('reads each provider’s workspace variable, expands CircleCI’s ~ and refuses relative paths', () => {
    expect(checkoutRootFromEnv({ GITHUB_WORKSPACE: '/home/runner/work/app/app' })).toBe('/home/runner/work/app/app');
    expect(checkoutRootFromEnv({ CI_PROJECT_DIR: '/builds/group/app' })).toBe('/builds/group/app');
    expect(checkoutRootFromEnv({ WORKSPACE: '/var/lib/jenkins/workspace/app@2' })).toBe('/var/lib/jenkins/workspace/app@2');
    expect(checkoutRootFromEnv({ BUILDKITE_BUILD_CHECKOUT_PATH: '/var/lib/buildkite-agent/builds/agent-1/org/app' })).toBe('/var/lib/buildkite-agent/builds/agent-1/org/app');
    expect(checkoutRootFromEnv({ CIRCLE_WORKING_DIRECTORY: '~/project', HOME: '/home/circleci' })).toBe('/home/circleci/project');
    expect(checkoutRootFromEnv({ CIRCLE_WORKING_DIRECTORY: '~/project' })).toBeNull();
    expect(checkoutRootFromEnv({ GITHUB_WORKSPACE: 'D:\\a\\app\\app' })).toBe('D:\\a\\app\\app');
    expect(checkoutRootFromEnv({ WORKSPACE: 'relative' })).toBeNull();
    expect(checkoutRootFromEnv({ GITHUB_WORKSPACE: '  ' })).toBeNull();
    expect(checkoutRootFromEnv({})).toBeNull();
  });
});
