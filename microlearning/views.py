from django.shortcuts import render

from organisations.access import member_required


@member_required()
def home(request):
    return render(request, "microlearning/home.html", {})
