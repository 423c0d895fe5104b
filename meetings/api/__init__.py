"""The REST API: serializers, viewsets, router, error shape and schema."""
