from django.http import HttpResponse


def report_excel(request, pk: int):  # replaced by the Excel import/export work
    return HttpResponse(status=501)
