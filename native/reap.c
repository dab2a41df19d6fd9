/*
 * The one thing Node cannot do as PID 1: reap a zombie it did not spawn.
 * libuv waits only for its own children; a blanket waitpid(-1) would steal
 * their exit statuses, so JS names each pid to reap (a zombie child that is
 * not libuv's) and this reaps exactly that one, without blocking.
 * See docs/containers.md.
 */
#include <errno.h>
#include <node_api.h>
#include <sys/types.h>
#include <sys/wait.h>

/* reap(pid) -> true when that zombie was reaped, false when it was not ours or not yet dead. */
static napi_value Reap(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t pid = 0;
  napi_value result;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, "reap(pid): expected a positive pid");
    return NULL;
  }
  int status = 0;
  pid_t reaped;
  do {
    reaped = waitpid((pid_t)pid, &status, WNOHANG);
  } while (reaped < 0 && errno == EINTR);
  napi_get_boolean(env, reaped == (pid_t)pid, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "reap", NAPI_AUTO_LENGTH, Reap, NULL, &fn);
  napi_set_named_property(env, exports, "reap", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
