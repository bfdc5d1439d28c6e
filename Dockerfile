# One image for the API and the workers: `tunewise serve` or `tunewise worker`.
# TORCH_SPEC picks the torch build: the default on Linux x86_64 is PyPI's CUDA build, which the
# GPU worker needs; the API never imports torch but shares the image to keep one artifact.
FROM python:3.11-slim AS base

ARG TORCH_SPEC="torch==2.13.0"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN pip install "${TORCH_SPEC}"

COPY pyproject.toml README.md ./
COPY advisor ./advisor
COPY service ./service
COPY workers ./workers
COPY migrations ./migrations
COPY tunewise ./tunewise
RUN pip install . && useradd --create-home --uid 10001 tunewise

USER tunewise
ENV TUNEWISE_DATA_DIR=/home/tunewise/data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["tunewise", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "0"]
