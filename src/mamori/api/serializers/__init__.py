"""What the API says about each register: read serializers (nested references as
``{"id", "name"}``) and write serializers whose validated data go to the app's services."""
