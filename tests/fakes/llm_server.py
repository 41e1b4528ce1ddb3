"""A fake OpenAI-compatible chat completions API on 127.0.0.1: answers POST /v1/chat/completions (bearer auth)
with `reply`, or misbehaves through FakeHttpServer's fail_next / latency.

    server = FakeLLM(api_key="sk-test").start()   # settings.LLM_API_BASE = server.url + "/v1"
"""

import json

from tests.fakes.http_fake import FakeHttpServer


class FakeLLM(FakeHttpServer):
    def __init__(self, api_key: str):
        super().__init__()
        self.api_key = api_key
        self.reply = "Polished reply."

    def route(self, request: dict) -> tuple[int, dict]:
        if request["headers"].get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
        if request["method"] != "POST" or request["path"] != "/v1/chat/completions":
            return 404, {"error": {"message": "Not found"}}
        body = json.loads(request["body"])
        return 200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.reply}, "finish_reason": "stop"}],
        }

    def prompts(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.posts()]
