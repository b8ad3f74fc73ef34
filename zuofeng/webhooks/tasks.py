from django_tasks import task


@task()
def webhook_deliver(delivery_id: int) -> str:
    from zuofeng.webhooks.services import webhook_deliver_now

    return webhook_deliver_now(delivery_id).state
